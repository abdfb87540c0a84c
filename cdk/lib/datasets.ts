import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchema } from 'aws-cdk-lib/aws-personalize';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { LAMBDA_ENV } from '../../src/config/lambda-env.ts';
import { acknowledgeProviderFramework } from './nag.ts';
import { ProjectFunction } from './node-function.ts';

/** One dataset to deploy: its Personalize type and the Avro schema (already validated). */
export interface DatasetDefinition {
  /** `Interactions`, `Items` or `Users`; also the construct ids' prefix. */
  readonly type: string;
  readonly datasetName: string;
  readonly schemaName: string;
  readonly avro: string;
}

export interface DatasetsProps {
  readonly datasetGroupName: string;
  readonly datasetGroupArn: string;
  readonly definitions: readonly DatasetDefinition[];
  /** Tags given to each dataset at create (custom resources are not tagged by CDK's Tags aspect). */
  readonly tags: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
}

/** A deployed dataset: the custom resource and its schema. */
export interface DatasetResource {
  readonly type: string;
  readonly resource: CustomResource;
  readonly schema: CfnSchema;
}

/** The dataset's ARN, as Personalize forms it from the group's name and the type. */
export function datasetArnOf(stack: Stack, datasetGroupName: string, type: string): string {
  return stack.formatArn({
    service: 'personalize',
    resource: 'dataset',
    resourceName: `${datasetGroupName}/${type.toUpperCase()}`,
  });
}

/**
 * The group's schemas and datasets. Schemas are immutable, so an edited schema is a new CfnSchema under a
 * new (content-hashed) name. Datasets are Custom::PersonalizeDataset resources rather than
 * AWS::Personalize::Dataset, whose SchemaArn change replaces the dataset: the new one would collide with the
 * old one's name and start empty. The custom resource swaps the schema in place with UpdateDataset
 * (lambdas/workflow/dataset-resource.ts), so the dataset's name, ARN and data stay.
 */
export class Datasets extends Construct {
  readonly deployed: readonly DatasetResource[];

  constructor(scope: Construct, id: string, props: DatasetsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const onEvent = new ProjectFunction(this, 'OnEvent', {
      entry: LAMBDA_ENV.datasetOnEvent.entry,
      description: 'Creates, swaps the schema of (UpdateDataset), or deletes a Personalize dataset',
      logRetention: props.logRetention,
    });
    const isComplete = new ProjectFunction(this, 'IsComplete', {
      entry: LAMBDA_ENV.datasetIsComplete.entry,
      description: 'Reports whether a Personalize dataset is ACTIVE on its schema, or gone',
      logRetention: props.logRetention,
    });
    // Schemas and datasets keep the stack-level logical ids they had as plain L1 resources: a new logical id
    // would make CloudFormation create a schema under a name that already exists.
    const schemas = props.definitions.map(
      (d) => new CfnSchema(scope, `${d.type}Schema`, { name: d.schemaName, schema: d.avro }),
    );
    const datasetArns = props.definitions.map((d) => datasetArnOf(stack, props.datasetGroupName, d.type));
    onEvent.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'personalize:CreateDataset',
          'personalize:UpdateDataset',
          'personalize:DescribeDataset',
          'personalize:DeleteDataset',
          'personalize:TagResource',
        ],
        resources: [...datasetArns, props.datasetGroupArn, ...schemas.map((s) => s.attrSchemaArn)],
      }),
    );
    // A rollback is told apart from a forward update by the stack's status (see dataset-resource.ts).
    onEvent.addToRolePolicy(
      new PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [stack.stackId] }),
    );
    isComplete.addToRolePolicy(
      new PolicyStatement({ actions: ['personalize:DescribeDataset'], resources: datasetArns }),
    );
    const provider = new Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval: Duration.seconds(15),
      totalTimeout: Duration.hours(1),
    });
    acknowledgeProviderFramework(provider, [onEvent, isComplete]);

    this.deployed = props.definitions.map((d, i) => {
      const schema = schemas[i]!;
      const resource = new CustomResource(scope, `${d.type}Dataset`, {
        serviceToken: provider.serviceToken,
        resourceType: 'Custom::PersonalizeDataset',
        properties: {
          Name: d.datasetName,
          DatasetGroupArn: props.datasetGroupArn,
          DatasetType: d.type,
          SchemaArn: schema.attrSchemaArn,
          Tags: props.tags,
        },
      });
      return { type: d.type, resource, schema };
    });
  }
}
