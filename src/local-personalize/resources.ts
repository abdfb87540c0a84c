/**
 * The resource kinds of the local control plane and how each appears on the wire: its ARN member, name member,
 * Describe/List keys, and the members a List summary carries (personalize-reference.md §1.5–1.7).
 */

export type ResourceKind =
  | 'datasetGroup'
  | 'schema'
  | 'dataset'
  | 'datasetImportJob'
  | 'solution'
  | 'solutionVersion'
  | 'campaign'
  | 'eventTracker'
  | 'filter'
  | 'batchInferenceJob'
  | 'batchSegmentJob';

export interface Tag {
  readonly tagKey: string;
  readonly tagValue: string;
}

/** One resource as stored: the common members plus the kind's own (`props`), echoed by Describe. */
export interface ResourceRecord {
  readonly kind: ResourceKind;
  readonly arn: string;
  /** The ARN's resource part (`dataset-group/dg1`): the store's key. */
  readonly key: string;
  /** Random hex id, the only thing file names under the state folder are made of. */
  readonly id: string;
  readonly name: string;
  /** ARN of the resource this one belongs to (dataset group, dataset, solution, solution version). */
  readonly parentArn?: string;
  status: string;
  failureReason?: string;
  readonly creationDateTime: number;
  lastUpdatedDateTime: number;
  tags: Tag[];
  props: Record<string, unknown>;
}

interface KindSpec {
  readonly arnMember: string;
  readonly nameMember: 'name' | 'jobName';
  readonly describeKey: string;
  readonly listKey: string;
  /** The kind has no status (schemas). */
  readonly statusless?: boolean;
  /** Extra props a List summary carries. */
  readonly summary: readonly string[];
  readonly label: string;
}

export const KINDS: Readonly<Record<ResourceKind, KindSpec>> = {
  datasetGroup: {
    arnMember: 'datasetGroupArn',
    nameMember: 'name',
    describeKey: 'datasetGroup',
    listKey: 'datasetGroups',
    summary: ['domain'],
    label: 'dataset group',
  },
  schema: {
    arnMember: 'schemaArn',
    nameMember: 'name',
    describeKey: 'schema',
    listKey: 'schemas',
    statusless: true,
    summary: ['domain'],
    label: 'schema',
  },
  dataset: {
    arnMember: 'datasetArn',
    nameMember: 'name',
    describeKey: 'dataset',
    listKey: 'datasets',
    summary: ['datasetType'],
    label: 'dataset',
  },
  datasetImportJob: {
    arnMember: 'datasetImportJobArn',
    nameMember: 'jobName',
    describeKey: 'datasetImportJob',
    listKey: 'datasetImportJobs',
    summary: ['importMode'],
    label: 'dataset import job',
  },
  solution: {
    arnMember: 'solutionArn',
    nameMember: 'name',
    describeKey: 'solution',
    listKey: 'solutions',
    summary: ['recipeArn'],
    label: 'solution',
  },
  solutionVersion: {
    arnMember: 'solutionVersionArn',
    nameMember: 'name',
    describeKey: 'solutionVersion',
    listKey: 'solutionVersions',
    summary: ['trainingMode', 'trainingType'],
    label: 'solution version',
  },
  campaign: {
    arnMember: 'campaignArn',
    nameMember: 'name',
    describeKey: 'campaign',
    listKey: 'campaigns',
    summary: [],
    label: 'campaign',
  },
  eventTracker: {
    arnMember: 'eventTrackerArn',
    nameMember: 'name',
    describeKey: 'eventTracker',
    listKey: 'eventTrackers',
    summary: [],
    label: 'event tracker',
  },
  filter: {
    arnMember: 'filterArn',
    nameMember: 'name',
    describeKey: 'filter',
    // ListFilters' output member is capitalised in the service model.
    listKey: 'Filters',
    summary: ['datasetGroupArn'],
    label: 'filter',
  },
  batchInferenceJob: {
    arnMember: 'batchInferenceJobArn',
    nameMember: 'jobName',
    describeKey: 'batchInferenceJob',
    listKey: 'batchInferenceJobs',
    summary: ['solutionVersionArn', 'batchInferenceJobMode'],
    label: 'batch inference job',
  },
  batchSegmentJob: {
    arnMember: 'batchSegmentJobArn',
    nameMember: 'jobName',
    describeKey: 'batchSegmentJob',
    listKey: 'batchSegmentJobs',
    summary: ['solutionVersionArn'],
    label: 'batch segment job',
  },
};

/** Marks the dataset group of the engine `npm start` trains from its data files (see adoptDemoEngine). */
export const START_ENGINE_GROUP = 'servesStartEngine';

/** Props kept for the engine's own use, never shown by Describe. */
const HIDDEN = new Set(['metrics', 'modelFile', START_ENGINE_GROUP]);

function visibleProps(record: ResourceRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record.props).filter(([key]) => !HIDDEN.has(key)));
}

/** The Describe* output member of a resource. */
export function describe(record: ResourceRecord): Record<string, unknown> {
  const spec = KINDS[record.kind];
  return {
    ...(record.name !== '' && { [spec.nameMember]: record.name }),
    [spec.arnMember]: record.arn,
    ...visibleProps(record),
    ...(!spec.statusless && { status: record.status }),
    ...(record.failureReason !== undefined && { failureReason: record.failureReason }),
    creationDateTime: record.creationDateTime,
    lastUpdatedDateTime: record.lastUpdatedDateTime,
  };
}

/** One entry of a List* output. */
export function summarize(record: ResourceRecord): Record<string, unknown> {
  const spec = KINDS[record.kind];
  const extra = Object.fromEntries(
    spec.summary.filter((key) => record.props[key] !== undefined).map((key) => [key, record.props[key]]),
  );
  return {
    ...(record.name !== '' && { [spec.nameMember]: record.name }),
    [spec.arnMember]: record.arn,
    ...extra,
    ...(!spec.statusless && { status: record.status }),
    ...(record.failureReason !== undefined && { failureReason: record.failureReason }),
    creationDateTime: record.creationDateTime,
    lastUpdatedDateTime: record.lastUpdatedDateTime,
  };
}
