import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FallbackReason } from '../../src/serving/fallback-recommender.ts';
import type { DeployedSolution } from './solutions.ts';

/** Custom metrics the serving Lambdas emit through Powertools (default dimension `service`). */
export const SERVING_METRICS = {
  namespace: 'PersonalizeToolkit',
  service: 'recommend',
  /** One sample per API request (lambdas/shared/api-handler.ts). */
  requests: 'Latency',
  /** One per answer the fallback chain gave instead of Personalize, dimension `reason`. */
  fallbacks: 'Fallback',
} as const;

/** Every `reason` of the Fallback metric; alarms cannot SEARCH, so each is listed. */
const FALLBACK_REASONS = [
  'throttled',
  'timeout',
  'unavailable',
  'circuit_open',
  'campaign_not_found',
  'local_failed',
] as const satisfies readonly FallbackReason[];

export interface ServingMonitoringProps {
  readonly name: string;
  readonly api: RestApi;
  readonly deadLetterQueue: Queue;
  readonly solutions: readonly DeployedSolution[];
  readonly fallbackRateAlarm: number;
  readonly topic: ITopic;
}

/** Dashboard and alarms of the serving path; every alarm notifies the shared topic. */
export class ServingMonitoring extends Construct {
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: ServingMonitoringProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const serverErrors = props.api.metricServerError({ period, statistic: 'Sum' });
    const requests = props.api.metricCount({ period, statistic: 'Sum' });
    const custom = (metricName: string, statistic: string, dimensions: Record<string, string> = {}) =>
      new Metric({
        namespace: SERVING_METRICS.namespace,
        metricName,
        period,
        statistic,
        dimensionsMap: { service: SERVING_METRICS.service, ...dimensions },
      });
    const fallbacks = Object.fromEntries(
      FALLBACK_REASONS.map((reason, i) => [`f${i}`, custom(SERVING_METRICS.fallbacks, 'Sum', { reason })]),
    );
    const fallbackSum = Object.keys(fallbacks)
      .map((id) => `FILL(${id}, 0)`)
      .join(' + ');
    const fallbackRate = new MathExpression({
      label: 'Fallback rate',
      expression: `IF(answers > 0, (${fallbackSum}) / answers, 0)`,
      usingMetrics: { ...fallbacks, answers: custom(SERVING_METRICS.requests, 'SampleCount') },
      period,
    });
    const dlqDepth = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period,
      statistic: 'Maximum',
    });
    const campaignTps = props.solutions.map(
      (s) =>
        new MathExpression({
          label: `${s.campaignName} TPS`,
          expression: `${s.key}Calls / 60`,
          usingMetrics: {
            [`${s.key}Calls`]: new Metric({
              namespace: 'AWS/Personalize',
              metricName: s.key === 'personalizedRanking' ? 'GetPersonalizedRanking' : 'GetRecommendations',
              dimensionsMap: { CampaignArn: s.campaignArn },
              period: Duration.minutes(1),
              statistic: 'Sum',
            }),
          },
          period: Duration.minutes(1),
        }),
    );

    const alarm = (
      alarmId: string,
      description: string,
      metric: Metric | MathExpression,
      threshold: number,
      evaluationPeriods = 1,
    ) =>
      new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    this.alarms = [
      alarm('ServerErrors', 'API answered with 5xx', serverErrors, 5),
      alarm(
        'FallbackRate',
        'Too many answers came from the local fallback',
        fallbackRate,
        props.fallbackRateAlarm,
        3,
      ),
      alarm('DeadLetters', 'Events could not be delivered to Personalize', dlqDepth, 0),
      ...props.solutions.map((s, i) =>
        // Traffic above minProvisionedTPS is billed on top of the floor and nears the per-campaign limit.
        alarm(
          `${s.key}Tps`,
          `${s.campaignName} runs above its minProvisionedTPS`,
          campaignTps[i]!,
          s.minProvisionedTps,
          15,
        ),
      ),
    ];
    const action = new SnsAction(props.topic);
    for (const a of this.alarms) a.addAlarmAction(action);

    new Dashboard(this, 'Dashboard', {
      dashboardName: props.name,
      widgets: [
        [
          new GraphWidget({ title: 'Requests and 5xx', left: [requests, serverErrors] }),
          new GraphWidget({ title: 'Fallback rate', left: [fallbackRate] }),
        ],
        [
          new GraphWidget({ title: 'Events dead-lettered', left: [dlqDepth] }),
          new GraphWidget({ title: 'Campaign TPS', left: campaignTps }),
        ],
      ],
    });
  }
}
