import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import { LAMBDA_ENV } from '../../src/config/lambda-env.ts';
import { acknowledgeNag, acknowledgeProviderFramework } from './nag.ts';
import { ProjectFunction } from './node-function.ts';

export interface TeardownProps {
  readonly datasetGroupArn: string;
  readonly campaignArns: readonly string[];
  /** Resources that must still exist while the teardown runs (it is deleted before them). */
  readonly dependsOn: readonly IConstruct[];
  readonly logRetention: RetentionDays;
}

/**
 * Deletion ordering: DeleteDatasetGroup (and DeleteSolution) fail while campaigns, event trackers or filters
 * remain, and the campaigns are created by the workflow, not CloudFormation. This resource depends on the
 * solutions and the dataset group, so on stack deletion it runs first and waits until those are gone.
 */
export class Teardown extends Construct {
  constructor(scope: Construct, id: string, props: TeardownProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const arn = (resource: string) => `arn:${partition}:personalize:${region}:${account}:${resource}`;
    const start = new ProjectFunction(this, 'Start', {
      entry: LAMBDA_ENV.teardownStart.entry,
      description:
        'Starts deleting workflow-created campaigns, trackers and filters before the dataset group',
      logRetention: props.logRetention,
    });
    const check = new ProjectFunction(this, 'Check', {
      entry: LAMBDA_ENV.teardownCheck.entry,
      description: 'Reports whether the campaigns, trackers and filters are gone',
      logRetention: props.logRetention,
    });
    for (const fn of [start, check]) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['personalize:DescribeCampaign', 'personalize:DeleteCampaign'],
          resources: [...props.campaignArns],
        }),
      );
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['personalize:DeleteEventTracker'],
          resources: [arn('event-tracker/*')],
        }),
      );
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['personalize:DeleteFilter'], resources: [arn('filter/*')] }),
      );
      // Versions still training block DeleteSolution; their ids are new per run.
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['personalize:StopSolutionVersionCreation'],
          resources: [arn('solution/*')],
        }),
      );
      // List* take the dataset group as a filter but are authorized on "*" (reference §8).
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: [
            'personalize:ListEventTrackers',
            'personalize:ListFilters',
            'personalize:ListSolutions',
            'personalize:ListSolutionVersions',
            'personalize:ListDatasets',
            'personalize:ListDatasetImportJobs',
          ],
          resources: ['*'],
        }),
      );
    }
    const provider = new Provider(this, 'Provider', {
      onEventHandler: start,
      isCompleteHandler: check,
      queryInterval: Duration.seconds(30),
      totalTimeout: Duration.hours(1),
    });
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::PersonalizeTeardown',
      properties: { DatasetGroupArn: props.datasetGroupArn, CampaignArns: props.campaignArns },
    });
    for (const dependency of props.dependsOn) resource.node.addDependency(dependency);

    acknowledgeNag(
      this,
      'IAM5',
      'trackers, filters and training solution versions are found at delete time; their ids are not known at synth',
      [
        'Resource::*',
        `Resource::arn:<AWS::Partition>:personalize:<AWS::Region>:<AWS::AccountId>:solution/*`,
        `Resource::arn:<AWS::Partition>:personalize:<AWS::Region>:<AWS::AccountId>:event-tracker/*`,
        `Resource::arn:<AWS::Partition>:personalize:<AWS::Region>:<AWS::AccountId>:filter/*`,
      ],
    );
    acknowledgeProviderFramework(provider, [start, check]);
  }
}
