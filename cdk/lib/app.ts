import { type App, Tags, Validations } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resourceNames } from '../config/names.ts';
import type { AppConfig } from '../config/schema.ts';
import { exemptFromStaleLintSpec } from './cfn-lint-exceptions.ts';
import { DataStack } from './data-stack.ts';
import { EventStreamStack } from './event-stream-stack.ts';
import { acknowledgeLambdaBasicExecution } from './nag.ts';
import { ServingStack } from './serving-stack.ts';
import { TrainingStack } from './training-stack.ts';

const RETENTION: Record<AppConfig['logRetentionDays'], RetentionDays> = {
  7: RetentionDays.ONE_WEEK,
  14: RetentionDays.TWO_WEEKS,
  30: RetentionDays.ONE_MONTH,
  90: RetentionDays.THREE_MONTHS,
  180: RetentionDays.SIX_MONTHS,
  365: RetentionDays.ONE_YEAR,
};

export interface PersonalizeApp {
  readonly data: DataStack;
  readonly training: TrainingStack;
  readonly serving: ServingStack;
  readonly events: EventStreamStack;
}

/**
 * Adds the four stacks of one stage to `app`. Stacks are environment-agnostic (account and region come
 * from the deploy credentials), and cdk-nag's AwsSolutions pack runs as a validation plugin at synth.
 */
export function buildApp(app: App, config: AppConfig): PersonalizeApp {
  const names = resourceNames(config);
  const logRetention = RETENTION[config.logRetentionDays];
  const data = new DataStack(app, `${names.stackPrefix}-data`, { config, names, logRetention });
  const training = new TrainingStack(app, `${names.stackPrefix}-training`, {
    config,
    names,
    logRetention,
    data,
  });
  const serving = new ServingStack(app, `${names.stackPrefix}-serving`, {
    config,
    names,
    logRetention,
    data,
  });
  const events = new EventStreamStack(app, `${names.stackPrefix}-events`, {
    config,
    names,
    logRetention,
    data,
    tracker: serving.tracker,
  });
  // The events stack reads the serving stack's stream and feature table by name: deploy it after them.
  events.addStackDependency(serving);
  for (const [key, value] of Object.entries(config.tags)) Tags.of(app).add(key, value);
  Tags.of(app).add('stage', config.stage);
  for (const stack of [data, training, serving, events]) {
    acknowledgeLambdaBasicExecution(stack);
    exemptFromStaleLintSpec(stack);
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { data, training, serving, events };
}
