import { Annotations, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnDatasetGroup } from 'aws-cdk-lib/aws-personalize';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { STACK_OUTPUTS } from '../../src/config/stack-outputs.ts';
import type { ResourceNames } from '../config/names.ts';
import type { AppConfig } from '../config/schema.ts';
import { loadSchemaFile } from '../config/schema-files.ts';
import { DATA_PREFIXES, DataBucket, MODEL_ARTIFACT_KEY } from './data-bucket.ts';
import { type DatasetDefinition, Datasets, datasetArnOf } from './datasets.ts';
import { PersonalizeRole } from './personalize-role.ts';
import { type DeployedSolution, Solutions } from './solutions.ts';
import { Teardown } from './teardown.ts';

export interface DataStackProps extends StackProps {
  readonly config: AppConfig;
  readonly names: ResourceNames;
  readonly logRetention: RetentionDays;
}

const DATASETS = [
  { key: 'interactions', type: 'Interactions', output: STACK_OUTPUTS.interactionsDatasetArn },
  { key: 'items', type: 'Items', output: STACK_OUTPUTS.itemsDatasetArn },
  { key: 'users', type: 'Users', output: STACK_OUTPUTS.usersDatasetArn },
] as const;

const SOLUTION_OUTPUTS = {
  userPersonalization: STACK_OUTPUTS.userPersonalizationSolutionArn,
  similarItems: STACK_OUTPUTS.similarItemsSolutionArn,
  personalizedRanking: STACK_OUTPUTS.personalizedRankingSolutionArn,
} as const;

/** A dataset of the group: its Personalize type and ARN. */
export interface DeployedDataset {
  readonly key: (typeof DATASETS)[number]['key'];
  readonly datasetArn: string;
  readonly schemaArn: string;
}

/**
 * Everything that holds data or trained state: the bucket, Personalize's role, the dataset group with its
 * schemas, datasets and solutions, and the notification topic the other stacks publish to.
 */
export class DataStack extends Stack {
  readonly bucket: Bucket;
  readonly personalizeRoleArn: string;
  readonly datasetGroupArn: string;
  readonly datasets: readonly DeployedDataset[];
  readonly solutions: readonly DeployedSolution[];
  readonly topic: Topic;
  /**
   * The bucket ARN through a named export, so object-prefix grants in other stacks read the same in every
   * synth (cdk-nag acknowledgements name them).
   */
  readonly bucketArnExport: string;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config, names } = props;
    const data = new DataBucket(this, 'Bucket', {
      importPrefix: config.training.importPrefix,
      retention: config.dataRetention,
    });
    this.bucket = data.bucket;
    this.personalizeRoleArn = new PersonalizeRole(this, 'PersonalizeRole', {
      bucket: this.bucket,
      importPrefix: config.training.importPrefix,
    }).role.roleArn;

    const group = new CfnDatasetGroup(this, 'DatasetGroup', { name: names.datasetGroup });
    this.datasetGroupArn = group.attrDatasetGroupArn;
    const configured = DATASETS.flatMap(({ key, type, output }) => {
      const file = config.schemaFiles[key];
      if (file === undefined) return [];
      // Config validation has read the file already (schemaFileIssues): this cannot fail for a loaded config.
      const avro = loadSchemaFile(key, file).avro;
      const definition: DatasetDefinition = {
        type,
        datasetName: names.dataset(key),
        schemaName: names.schema(key, avro),
        avro,
      };
      return [{ key, output, definition }];
    });
    const datasets = new Datasets(this, 'Datasets', {
      datasetGroupName: names.datasetGroup,
      datasetGroupArn: group.attrDatasetGroupArn,
      definitions: configured.map((c) => c.definition),
      // The same tags the app's Tags aspect puts on every taggable resource (app.ts).
      tags: { ...config.tags, stage: config.stage },
      logRetention: props.logRetention,
    });
    // Other stacks get ARNs built from names: an edited schema gets a new name, and an export of the
    // replaced schema's ARN would block the update (test/cdk/template-diff.test.ts).
    this.datasets = configured.map(({ key, output, definition }, i) => {
      new CfnOutput(this, output, { value: datasets.deployed[i]!.resource.getAttString('DatasetArn') });
      return {
        key,
        datasetArn: datasetArnOf(this, names.datasetGroup, definition.type),
        schemaArn: this.formatArn({
          service: 'personalize',
          resource: 'schema',
          resourceName: definition.schemaName,
        }),
      };
    });

    const solutions = new Solutions(this, 'Solutions', {
      config,
      names,
      datasetGroupArn: group.attrDatasetGroupArn,
    });
    // Solutions train on the datasets: create them after, delete them before.
    solutions.node.addDependency(...datasets.deployed.map((d) => d.resource));
    this.solutions = solutions.deployed;
    for (const s of this.solutions) {
      new CfnOutput(this, SOLUTION_OUTPUTS[s.key], { value: s.solution.attrSolutionArn });
    }
    new Teardown(this, 'Teardown', {
      datasetGroupArn: group.attrDatasetGroupArn,
      campaignArns: this.solutions.map((s) => s.campaignArn),
      dependsOn: [group, solutions],
      logRetention: props.logRetention,
    });

    // CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key (its policy admits no
    // service principal), so the topic gets a customer-managed key that admits CloudWatch.
    const topicKey = new Key(this, 'NotificationsKey', {
      description: `${names.stackPrefix} notification topic`,
      enableKeyRotation: true,
      removalPolicy: config.dataRetention === 'RETAIN' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    topicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.topic = new Topic(this, 'Notifications', {
      displayName: `${names.stackPrefix} training and alarms`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    if (config.training.notificationEmail) {
      this.topic.addSubscription(new EmailSubscription(config.training.notificationEmail));
    } else {
      Annotations.of(this).addWarningV2(
        'personalize-toolkit:no-notification-subscriber',
        `training notifications and alarms reach nobody: set training.notificationEmail for stage '${config.stage}', or subscribe to the ${STACK_OUTPUTS.notificationTopicArn} output's topic by hand`,
      );
    }

    const s3Uri = (key: string) => `s3://${this.bucket.bucketName}/${key}`;
    new CfnOutput(this, STACK_OUTPUTS.dataBucketName, { value: this.bucket.bucketName });
    this.bucketArnExport = `${names.stackPrefix}-data-bucket-arn`;
    new CfnOutput(this, 'DataBucketArn', { value: this.bucket.bucketArn, exportName: this.bucketArnExport });
    new CfnOutput(this, STACK_OUTPUTS.personalizeRoleArn, { value: this.personalizeRoleArn });
    new CfnOutput(this, STACK_OUTPUTS.datasetGroupArn, { value: group.attrDatasetGroupArn });
    new CfnOutput(this, STACK_OUTPUTS.batchInputPrefix, { value: s3Uri(DATA_PREFIXES.batchInput) });
    new CfnOutput(this, STACK_OUTPUTS.batchOutputPrefix, { value: s3Uri(DATA_PREFIXES.batchOutput) });
    new CfnOutput(this, STACK_OUTPUTS.modelArtifactUri, { value: s3Uri(MODEL_ARTIFACT_KEY) });
    new CfnOutput(this, STACK_OUTPUTS.notificationTopicArn, { value: this.topic.topicArn });
  }
}
