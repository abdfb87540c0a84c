import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateDatasetCommand,
  type Dataset,
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  PersonalizeClient,
  ResourceNotFoundException,
  TagResourceCommand,
  UpdateDatasetCommand,
} from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as isComplete } from '../../lambdas/workflow/dataset-is-complete.ts';
import { handler as onEvent } from '../../lambdas/workflow/dataset-on-event.ts';
import { specOf } from '../../lambdas/workflow/dataset-resource.ts';

const REGION_ACCOUNT = 'us-east-1:123456789012';
const GROUP = `arn:aws:personalize:${REGION_ACCOUNT}:dataset-group/p-dsg-dev`;
const DATASET = `arn:aws:personalize:${REGION_ACCOUNT}:dataset/p-dsg-dev/ITEMS`;
const OLD_SCHEMA = `arn:aws:personalize:${REGION_ACCOUNT}:schema/p-items-aaaa-dev`;
const NEW_SCHEMA = `arn:aws:personalize:${REGION_ACCOUNT}:schema/p-items-bbbb-dev`;
const STACK = `arn:aws:cloudformation:${REGION_ACCOUNT}:stack/p-dev-data/1`;

const properties = (schemaArn: string, overrides: Record<string, unknown> = {}) => ({
  ServiceToken: 'token',
  Name: 'p-items-dev',
  DatasetGroupArn: GROUP,
  DatasetType: 'Items',
  SchemaArn: schemaArn,
  Tags: { project: 'personalize-toolkit', stage: 'dev' },
  ...overrides,
});

const base = { StackId: STACK, RequestId: 'r', LogicalResourceId: 'ItemsDataset', ResourceType: 'x' };
const createEvent = { ...base, RequestType: 'Create', ResourceProperties: properties(OLD_SCHEMA) } as never;
const updateEvent = (schemaArn: string, old = properties(OLD_SCHEMA), overrides = {}) =>
  ({
    ...base,
    RequestType: 'Update',
    PhysicalResourceId: DATASET,
    ResourceProperties: properties(schemaArn, overrides),
    OldResourceProperties: old,
  }) as never;
const deleteEvent = (physicalId = DATASET) =>
  ({
    ...base,
    RequestType: 'Delete',
    PhysicalResourceId: physicalId,
    ResourceProperties: properties(OLD_SCHEMA),
  }) as never;
/** What the Provider framework hands isComplete: the event merged with onEvent's response. */
const completeEvent = (event: object, response: object) => ({ ...event, ...response }) as never;

const personalize = mockClient(PersonalizeClient);
const cloudFormation = mockClient(CloudFormationClient);
/** The dataset as Personalize describes it; undefined once deleted. */
let dataset: Dataset | undefined;
let stackStatus: string;

describe('Custom::PersonalizeDataset', () => {
  beforeEach(() => {
    personalize.reset();
    cloudFormation.reset();
    dataset = undefined;
    stackStatus = 'UPDATE_IN_PROGRESS';
    personalize.on(CreateDatasetCommand).callsFake(async (input) => {
      const datasetArn = `${input.datasetGroupArn.replace(':dataset-group/', ':dataset/')}/${input.datasetType.toUpperCase()}`;
      dataset = { datasetArn, schemaArn: input.schemaArn, status: 'CREATE IN_PROGRESS' };
      return { datasetArn };
    });
    personalize.on(UpdateDatasetCommand).callsFake(async (input) => {
      dataset = { ...dataset, latestDatasetUpdate: { schemaArn: input.schemaArn, status: 'CREATE PENDING' } };
      return { datasetArn: DATASET };
    });
    personalize.on(DescribeDatasetCommand).callsFake(async () => {
      if (!dataset) throw new ResourceNotFoundException({ message: 'no dataset', $metadata: {} });
      return { dataset };
    });
    personalize.on(DeleteDatasetCommand).callsFake(async () => {
      if (!dataset) throw new ResourceNotFoundException({ message: 'no dataset', $metadata: {} });
      dataset = { ...dataset, status: 'DELETE PENDING' };
      return {};
    });
    personalize.on(TagResourceCommand).resolves({});
    cloudFormation.on(DescribeStacksCommand).callsFake(async () => ({
      Stacks: [{ StackName: 'p-dev-data', StackStatus: stackStatus, CreationTime: new Date() }],
    }));
  });

  it('creates the dataset with its tags, and completes once it is ACTIVE', async () => {
    const response = await onEvent(createEvent);

    expect(personalize.commandCalls(CreateDatasetCommand)[0]!.args[0].input).toEqual({
      name: 'p-items-dev',
      datasetGroupArn: GROUP,
      datasetType: 'Items',
      schemaArn: OLD_SCHEMA,
      tags: [
        { tagKey: 'project', tagValue: 'personalize-toolkit' },
        { tagKey: 'stage', tagValue: 'dev' },
      ],
    });
    expect(response).toEqual({
      PhysicalResourceId: DATASET,
      Data: { DatasetArn: DATASET, SchemaArn: OLD_SCHEMA },
    });
    expect(await isComplete(completeEvent(createEvent, response))).toEqual({ IsComplete: false });
    dataset = { ...dataset, status: 'ACTIVE' };
    expect(await isComplete(completeEvent(createEvent, response))).toEqual({ IsComplete: true });
  });

  it('fails when the create fails', async () => {
    const response = await onEvent(createEvent);
    dataset = { ...dataset, status: 'CREATE FAILED' };
    await expect(isComplete(completeEvent(createEvent, response))).rejects.toThrow(
      `dataset ${DATASET} is CREATE FAILED`,
    );
  });

  it('swaps an edited schema into the same dataset with UpdateDataset, and waits for the swap', async () => {
    dataset = { datasetArn: DATASET, schemaArn: OLD_SCHEMA, status: 'ACTIVE' };
    const event = updateEvent(NEW_SCHEMA);

    const response = await onEvent(event);

    expect(personalize.commandCalls(CreateDatasetCommand)).toHaveLength(0);
    expect(personalize.commandCalls(UpdateDatasetCommand)[0]!.args[0].input).toEqual({
      datasetArn: DATASET,
      schemaArn: NEW_SCHEMA,
    });
    expect(response).toEqual({
      PhysicalResourceId: DATASET,
      Data: { DatasetArn: DATASET, SchemaArn: NEW_SCHEMA },
    });
    expect(await isComplete(completeEvent(event, response))).toEqual({ IsComplete: false });
    dataset = {
      ...dataset,
      schemaArn: NEW_SCHEMA,
      latestDatasetUpdate: { schemaArn: NEW_SCHEMA, status: 'ACTIVE' },
    };
    expect(await isComplete(completeEvent(event, response))).toEqual({ IsComplete: true });
  });

  it('fails the update with Personalize’s reason when the swap is refused midway', async () => {
    dataset = { datasetArn: DATASET, schemaArn: OLD_SCHEMA, status: 'ACTIVE' };
    const event = updateEvent(NEW_SCHEMA);
    const response = await onEvent(event);
    dataset = {
      ...dataset,
      latestDatasetUpdate: {
        schemaArn: NEW_SCHEMA,
        status: 'CREATE FAILED',
        failureReason: 'field PRICE removed',
      },
    };
    await expect(isComplete(completeEvent(event, response))).rejects.toThrow(/field PRICE removed/);
  });

  it('changes nothing but the tags when the schema stays', async () => {
    dataset = { datasetArn: DATASET, schemaArn: OLD_SCHEMA, status: 'ACTIVE' };
    const event = updateEvent(OLD_SCHEMA, properties(OLD_SCHEMA), { Tags: { stage: 'dev', team: 'recs' } });

    const response = await onEvent(event);

    expect(personalize.commandCalls(UpdateDatasetCommand)).toHaveLength(0);
    expect(personalize.commandCalls(TagResourceCommand)[0]!.args[0].input).toEqual({
      resourceArn: DATASET,
      tags: [
        { tagKey: 'stage', tagValue: 'dev' },
        { tagKey: 'team', tagValue: 'recs' },
      ],
    });
    expect(await isComplete(completeEvent(event, response))).toEqual({ IsComplete: true });
  });

  it('keeps the newer schema during a rollback, since Personalize cannot drop the added fields', async () => {
    // The forward update swapped in NEW_SCHEMA; another resource failed and CloudFormation rolls back.
    dataset = { datasetArn: DATASET, schemaArn: NEW_SCHEMA, status: 'ACTIVE' };
    stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    const event = updateEvent(OLD_SCHEMA, properties(NEW_SCHEMA));

    const response = await onEvent(event);

    expect(personalize.commandCalls(UpdateDatasetCommand)).toHaveLength(0);
    expect(response).toEqual({
      PhysicalResourceId: DATASET,
      Data: { DatasetArn: DATASET, SchemaArn: NEW_SCHEMA },
    });
    expect(await isComplete(completeEvent(event, response))).toEqual({ IsComplete: true });
  });

  it('creates a new dataset when the group changes (CloudFormation then deletes the old one)', async () => {
    const otherGroup = `arn:aws:personalize:${REGION_ACCOUNT}:dataset-group/q-dsg-dev`;
    const response = await onEvent(
      updateEvent(OLD_SCHEMA, properties(OLD_SCHEMA), { DatasetGroupArn: otherGroup }),
    );
    expect(personalize.commandCalls(CreateDatasetCommand)[0]!.args[0].input).toMatchObject({
      datasetGroupArn: otherGroup,
    });
    expect(personalize.commandCalls(UpdateDatasetCommand)).toHaveLength(0);
    expect(response.PhysicalResourceId).toBe(`arn:aws:personalize:${REGION_ACCOUNT}:dataset/q-dsg-dev/ITEMS`);
  });

  it('deletes the dataset and completes once it is gone; a dataset already gone is no error', async () => {
    dataset = { datasetArn: DATASET, schemaArn: OLD_SCHEMA, status: 'ACTIVE' };
    await onEvent(deleteEvent());
    expect(personalize.commandCalls(DeleteDatasetCommand)[0]!.args[0].input).toEqual({ datasetArn: DATASET });
    expect(await isComplete(deleteEvent())).toEqual({ IsComplete: false });
    dataset = undefined;
    expect(await isComplete(deleteEvent())).toEqual({ IsComplete: true });
    await expect(onEvent(deleteEvent())).resolves.toEqual({ PhysicalResourceId: DATASET });
  });

  it('has nothing to delete after a create that never got an ARN', async () => {
    await onEvent(deleteEvent('ItemsDataset-failed'));
    expect(personalize.commandCalls(DeleteDatasetCommand)).toHaveLength(0);
    expect(await isComplete(deleteEvent('ItemsDataset-failed'))).toEqual({ IsComplete: true });
  });

  it('reads its properties, naming the missing ones', () => {
    expect(specOf(properties(OLD_SCHEMA))).toEqual({
      name: 'p-items-dev',
      datasetGroupArn: GROUP,
      datasetType: 'Items',
      schemaArn: OLD_SCHEMA,
      tags: { project: 'personalize-toolkit', stage: 'dev' },
    });
    expect(() => specOf({ Name: 'p-items-dev' })).toThrow(/DatasetGroupArn, DatasetType and SchemaArn/);
  });
});
