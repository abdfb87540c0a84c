import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateDatasetCommand,
  type Dataset,
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  type PersonalizeClient,
  TagResourceCommand,
  UpdateDatasetCommand,
} from '@aws-sdk/client-personalize';
import type {
  CdkCustomResourceEvent,
  CdkCustomResourceIsCompleteEvent,
  CdkCustomResourceResponse,
} from 'aws-lambda';
import { awsCall } from '../../src/aws/aws-errors.ts';
import { InvalidInputError, JobFailedError, ResourceNotFoundError } from '../../src/errors.ts';

/**
 * Custom::PersonalizeDataset. AWS::Personalize::Dataset replaces the dataset when its SchemaArn changes, and
 * a replacement under the same name collides and loses every imported record; this resource swaps the schema
 * in place with UpdateDataset instead, so the dataset (and its ARN, which other stacks build from names)
 * stays. Personalize decides whether the swap is allowed (Items and Users only; every old field kept, new
 * fields nullable) and its refusal fails the deploy, which then rolls back with the data intact.
 */

/** The resource's properties (CloudFormation passes every value as a string). */
export interface DatasetSpec {
  readonly name: string;
  readonly datasetGroupArn: string;
  readonly datasetType: string;
  readonly schemaArn: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** What the isComplete handler waits for, handed over in the onEvent response's Data. */
export interface DatasetData {
  readonly DatasetArn: string;
  /** The schema the dataset must end on. */
  readonly SchemaArn: string;
}

export interface Clients {
  readonly personalize: PersonalizeClient;
  readonly cloudFormation: CloudFormationClient;
}

export function specOf(properties: Record<string, unknown> | undefined): DatasetSpec {
  const { Name, DatasetGroupArn, DatasetType, SchemaArn, Tags } = properties ?? {};
  const strings = [Name, DatasetGroupArn, DatasetType, SchemaArn];
  if (!strings.every((value) => typeof value === 'string' && value !== '')) {
    throw new InvalidInputError([
      {
        field: 'ResourceProperties',
        message: 'Name, DatasetGroupArn, DatasetType and SchemaArn (non-empty strings) are required',
      },
    ]);
  }
  const tags = Tags !== null && typeof Tags === 'object' ? (Tags as Record<string, unknown>) : {};
  return {
    name: String(Name),
    datasetGroupArn: String(DatasetGroupArn),
    datasetType: String(DatasetType),
    schemaArn: String(SchemaArn),
    tags: Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, String(value)])),
  };
}

/** Name, group and type fix the dataset's identity (its ARN is `dataset/<group name>/<TYPE>`). */
function sameIdentity(a: DatasetSpec, b: DatasetSpec): boolean {
  return a.name === b.name && a.datasetGroupArn === b.datasetGroupArn && a.datasetType === b.datasetType;
}

const tagList = (tags: DatasetSpec['tags']) =>
  Object.entries(tags).map(([tagKey, tagValue]) => ({ tagKey, tagValue }));

async function describeDataset(clients: Clients, datasetArn: string): Promise<Dataset> {
  const described = await awsCall(
    { action: 'personalize:DescribeDataset', resource: `dataset ${datasetArn}` },
    () => clients.personalize.send(new DescribeDatasetCommand({ datasetArn })),
  );
  if (!described.dataset) throw new ResourceNotFoundError(`dataset ${datasetArn} is not described`);
  return described.dataset;
}

async function createDataset(clients: Clients, spec: DatasetSpec): Promise<CdkCustomResourceResponse> {
  const created = await awsCall(
    { action: 'personalize:CreateDataset', resource: `dataset ${spec.name}` },
    () =>
      clients.personalize.send(
        new CreateDatasetCommand({
          name: spec.name,
          datasetGroupArn: spec.datasetGroupArn,
          datasetType: spec.datasetType,
          schemaArn: spec.schemaArn,
          ...(Object.keys(spec.tags).length > 0 && { tags: tagList(spec.tags) }),
        }),
      ),
  );
  const datasetArn = String(created.datasetArn);
  const data: DatasetData = { DatasetArn: datasetArn, SchemaArn: spec.schemaArn };
  return { PhysicalResourceId: datasetArn, Data: data };
}

/**
 * A rollback asks to swap back to the previous schema, which Personalize refuses (a replacement keeps every
 * field); the schema in place is a superset whose new fields are nullable, so the old data still fits it.
 */
async function isRollingBack(clients: Clients, stackId: string): Promise<boolean> {
  const described = await awsCall(
    { action: 'cloudformation:DescribeStacks', resource: `stack ${stackId}` },
    () => clients.cloudFormation.send(new DescribeStacksCommand({ StackName: stackId })),
  );
  return described.Stacks?.[0]?.StackStatus === 'UPDATE_ROLLBACK_IN_PROGRESS';
}

async function updateDataset(
  clients: Clients,
  event: Extract<CdkCustomResourceEvent, { RequestType: 'Update' }>,
): Promise<CdkCustomResourceResponse> {
  const spec = specOf(event.ResourceProperties);
  const previous = specOf(event.OldResourceProperties);
  // Only a project or stage rename changes these: a new dataset, and CloudFormation deletes the old one.
  if (!sameIdentity(spec, previous)) return createDataset(clients, spec);
  const datasetArn = event.PhysicalResourceId;
  const current = await describeDataset(clients, datasetArn);
  let target = spec.schemaArn;
  if (current.schemaArn !== target) {
    if (await isRollingBack(clients, event.StackId)) {
      target = String(current.schemaArn);
    } else {
      await awsCall({ action: 'personalize:UpdateDataset', resource: `dataset ${datasetArn}` }, () =>
        clients.personalize.send(new UpdateDatasetCommand({ datasetArn, schemaArn: target })),
      );
    }
  }
  if (JSON.stringify(spec.tags) !== JSON.stringify(previous.tags) && Object.keys(spec.tags).length > 0) {
    await awsCall({ action: 'personalize:TagResource', resource: `dataset ${datasetArn}` }, () =>
      clients.personalize.send(new TagResourceCommand({ resourceArn: datasetArn, tags: tagList(spec.tags) })),
    );
  }
  const data: DatasetData = { DatasetArn: datasetArn, SchemaArn: target };
  return { PhysicalResourceId: datasetArn, Data: data };
}

async function deleteDataset(clients: Clients, datasetArn: string): Promise<void> {
  try {
    await awsCall({ action: 'personalize:DeleteDataset', resource: `dataset ${datasetArn}` }, () =>
      clients.personalize.send(new DeleteDatasetCommand({ datasetArn })),
    );
  } catch (error) {
    // Gone already (a create that failed, or a retried delete).
    if (!(error instanceof ResourceNotFoundError)) throw error;
  }
}

/** onEvent: starts the create, the schema swap or the delete; `datasetComplete` waits for it. */
export async function onDatasetEvent(
  clients: Clients,
  event: CdkCustomResourceEvent,
): Promise<CdkCustomResourceResponse> {
  switch (event.RequestType) {
    case 'Create':
      return createDataset(clients, specOf(event.ResourceProperties));
    case 'Update':
      return updateDataset(clients, event);
    case 'Delete':
      // A create that failed before Personalize answered has no ARN for a physical id: nothing to delete.
      if (event.PhysicalResourceId.startsWith('arn:')) await deleteDataset(clients, event.PhysicalResourceId);
      return { PhysicalResourceId: event.PhysicalResourceId };
  }
}

/** isComplete: the dataset is ACTIVE on the wanted schema, or gone after a delete; a failure throws. */
export async function datasetComplete(
  clients: Clients,
  event: CdkCustomResourceIsCompleteEvent,
): Promise<boolean> {
  const datasetArn = event.PhysicalResourceId ?? '';
  if (event.RequestType === 'Delete') {
    if (!datasetArn.startsWith('arn:')) return true;
    try {
      await describeDataset(clients, datasetArn);
      return false;
    } catch (error) {
      if (error instanceof ResourceNotFoundError) return true;
      throw error;
    }
  }
  const target = (event.Data as Partial<DatasetData> | undefined)?.SchemaArn;
  const dataset = await describeDataset(clients, datasetArn);
  // DescribeDataset gives no failureReason for a dataset (only for its updates).
  if (dataset.status === 'CREATE FAILED') throw new JobFailedError(`dataset ${datasetArn} is CREATE FAILED`);
  if (dataset.status !== 'ACTIVE') return false;
  const update = dataset.latestDatasetUpdate;
  if (update && update.schemaArn === target) {
    if (update.status?.includes('FAILED')) {
      throw new JobFailedError(
        `replacing the schema of dataset ${datasetArn} with ${target} failed: ${update.failureReason ?? 'no reason given'}`,
        update.failureReason,
      );
    }
    return update.status === 'ACTIVE';
  }
  return dataset.schemaArn === target;
}
