import { basename } from 'node:path';
import { validateDatasets } from '../../data-validation/index.ts';
import type { ValidationReport } from '../../data-validation/types.ts';
import { InvalidInputError, JobFailedError, ResourceInUseError } from '../../errors.ts';
import { checkSchemaRules, parseSchema, schemaReplacementIssues } from '../../schemas/index.ts';
import type { DatasetSchema, DatasetType } from '../../schemas/types.ts';
import { CREATE_STATUSES, type LocalPersonalize, type Operation, PENDING } from '../control-plane.ts';
import { DatasetData } from '../dataset-data.ts';
import { LimitExceededError, ResourceAlreadyExistsError } from '../errors.ts';
import type { ResourceRecord } from '../resources.ts';
import { parseLocation } from '../s3-objects.ts';
import * as shapes from '../shapes.ts';
import { removeFiles } from '../store.ts';
import { describeOperation, listOperation } from './common.ts';

/** Personalize allows five import jobs pending or in progress per account (personalize-reference.md §2). */
const MAX_PENDING_IMPORTS = 5;
/**
 * Rules not decided per file: training minimums decide at CreateSolutionVersion, and the 1000-record
 * minimum counts every file of the job together.
 */
const NOT_PER_FILE = new Set(['min-active-users', 'active-user-share', 'min-interactions']);
/** Interactions records one import job must bring (personalize-reference.md §3.3). */
const MIN_IMPORT_INTERACTIONS = 1000;

const TYPES: Readonly<Record<string, DatasetType>> = {
  interactions: 'interactions',
  items: 'items',
  users: 'users',
};

function datasetTypeOf(value: string): DatasetType {
  const type = TYPES[value.toLowerCase()];
  if (type === undefined) {
    throw new InvalidInputError([
      { field: 'datasetType', message: `must be Interactions, Items or Users locally (got ${value})` },
    ]);
  }
  return type;
}

/** Schemas are immutable, and avsc compiles code per parse: each text is parsed once per dataset type. */
const parsedSchemas = new Map<string, DatasetSchema>();
const MAX_PARSED_SCHEMAS = 1000;

function parsedSchema(type: DatasetType, text: string, field: string): DatasetSchema {
  const key = `${type}\n${text}`;
  let schema = parsedSchemas.get(key);
  if (schema === undefined) {
    schema = parseSchema(type, text, field);
    if (parsedSchemas.size >= MAX_PARSED_SCHEMAS) parsedSchemas.clear();
    parsedSchemas.set(key, schema);
  }
  return schema;
}

/** The dataset's schema, parsed for its type. */
export function schemaOf(plane: LocalPersonalize, dataset: ResourceRecord): DatasetSchema {
  const schema = plane.lookup('schema', String(dataset.props.schemaArn));
  return parsedSchema(dataset.props.datasetType as DatasetType, String(schema.props.schema), 'schema');
}

export function dataOf(plane: LocalPersonalize, dataset: ResourceRecord): DatasetData {
  return new DatasetData(plane.store.dataDir(dataset.id), schemaOf(plane, dataset));
}

/** The group's dataset of one type, if created. */
export function datasetOfGroup(
  plane: LocalPersonalize,
  group: ResourceRecord,
  type: DatasetType,
): ResourceRecord | undefined {
  return plane.store.list('dataset', group.arn).find((d) => d.props.datasetType === type);
}

const createDatasetGroup: Operation = async (plane, body) => {
  const request = plane.parse(shapes.createDatasetGroup, body);
  const group = plane.create('datasetGroup', {
    resource: `dataset-group/${request.name}`,
    name: request.name,
    props: {
      ...(request.domain && { domain: request.domain }),
      ...(request.roleArn && { roleArn: request.roleArn }),
      ...(request.kmsKeyArn && { kmsKeyArn: request.kmsKeyArn }),
    },
    tags: request.tags,
  });
  plane.advance(group);
  return { datasetGroupArn: group.arn, ...(request.domain && { domain: request.domain }) };
};

const deleteDatasetGroup: Operation = async (plane, body) => {
  const { datasetGroupArn } = plane.parse(shapes.byArn('datasetGroupArn'), body) as {
    datasetGroupArn: string;
  };
  const group = plane.lookup('datasetGroup', datasetGroupArn);
  plane.requireNotDeleting(group);
  for (const kind of ['dataset', 'solution', 'eventTracker', 'filter'] as const) {
    if (plane.store.list(kind, group.arn).length > 0) {
      throw new ResourceInUseError(
        `dataset group ${group.arn} still has ${kind === 'eventTracker' ? 'an event tracker' : `${kind}s`}; delete them first`,
      );
    }
  }
  plane.destroy(group);
  return {};
};

const createSchema: Operation = async (plane, body) => {
  const request = plane.parse(shapes.createSchema, body);
  // The Avro grammar is checked now; the fields a dataset type needs are checked when a dataset uses it.
  parsedSchema('interactions', request.schema, 'schema');
  const schema = plane.create('schema', {
    resource: `schema/${request.name}`,
    name: request.name,
    props: { schema: request.schema, ...(request.domain && { domain: request.domain }) },
  });
  return { schemaArn: schema.arn };
};

const deleteSchema: Operation = async (plane, body) => {
  const { schemaArn } = plane.parse(shapes.byArn('schemaArn'), body) as { schemaArn: string };
  const schema = plane.lookup('schema', schemaArn);
  const user = plane.store.list('dataset').find((d) => d.props.schemaArn === schema.arn);
  if (user) throw new ResourceInUseError(`schema ${schema.arn} is used by dataset ${user.arn}`);
  plane.store.remove(schema.key);
  return {};
};

const REQUIRED_FIELDS: Readonly<Record<DatasetType, readonly string[]>> = {
  interactions: ['USER_ID', 'ITEM_ID', 'TIMESTAMP'],
  items: ['ITEM_ID'],
  users: ['USER_ID'],
};

const createDataset: Operation = async (plane, body) => {
  const request = plane.parse(shapes.createDataset, body);
  const type = datasetTypeOf(request.datasetType);
  const group = plane.lookup('datasetGroup', request.datasetGroupArn);
  const schemaRecord = plane.lookup('schema', request.schemaArn);
  const schema = parsedSchema(type, String(schemaRecord.props.schema), 'schemaArn');
  const issues = [
    ...REQUIRED_FIELDS[type]
      .filter((f) => !schema.fields.some((s) => s.name === f))
      .map((f) => ({ field: 'schemaArn', message: `a ${type} schema needs the field ${f}` })),
    ...checkSchemaRules(schema)
      .filter((i) => i.severity === 'error')
      .map((i) => ({ field: 'schemaArn', message: `${i.field}: ${i.message}` })),
  ];
  if (issues.length > 0) throw new InvalidInputError(issues);
  plane.requireActive(group);
  if (datasetOfGroup(plane, group, type)) {
    throw new ResourceAlreadyExistsError(`dataset group ${group.arn} already has a ${type} dataset`);
  }
  const dataset = plane.create('dataset', {
    resource: `dataset/${group.name}/${type.toUpperCase()}`,
    name: request.name,
    parentArn: group.arn,
    props: { datasetGroupArn: group.arn, datasetType: type, schemaArn: schemaRecord.arn },
    tags: request.tags,
  });
  plane.advance(dataset);
  return { datasetArn: dataset.arn };
};

const deleteDataset: Operation = async (plane, body) => {
  const { datasetArn } = plane.parse(shapes.byArn('datasetArn'), body) as { datasetArn: string };
  const dataset = plane.lookup('dataset', datasetArn);
  plane.requireNotDeleting(dataset);
  const busy = plane.store.list('datasetImportJob', dataset.arn).find((j) => PENDING.has(j.status));
  if (busy) throw new ResourceInUseError(`dataset ${dataset.arn} has import job ${busy.arn} running`);
  const training = plane.store
    .list('solutionVersion')
    .find((v) => v.props.datasetGroupArn === dataset.parentArn && PENDING.has(v.status));
  if (training) throw new ResourceInUseError(`solution version ${training.arn} is training on this dataset`);
  plane.destroy(dataset, async () => {
    for (const job of plane.store.list('datasetImportJob', dataset.arn)) plane.store.remove(job.key);
    await removeFiles(plane.store.dataDir(dataset.id));
  });
  return {};
};

/** `latestDatasetUpdate` of Describe/ListDatasets: the schema swap last asked for and how it went. */
interface DatasetUpdate {
  schemaArn: string;
  status: string;
  failureReason?: string;
  creationDateTime: number;
  lastUpdatedDateTime: number;
}

/**
 * UpdateDataset swaps in another schema, refused at the call when Personalize's replacement rules forbid it
 * (src/schemas/replacement.ts). The dataset keeps its data and serves the old schema until
 * `latestDatasetUpdate.status` is ACTIVE; then its stored rows take the new columns (empty for old rows).
 */
const updateDataset: Operation = async (plane, body) => {
  const request = plane.parse(shapes.updateDataset, body);
  const dataset = plane.lookup('dataset', request.datasetArn);
  plane.requireActive(dataset);
  const previous = dataset.props.latestDatasetUpdate as DatasetUpdate | undefined;
  if (previous && PENDING.has(previous.status)) {
    throw new ResourceInUseError(`dataset ${dataset.arn} has a schema update ${previous.status}`);
  }
  const busy = plane.store.list('datasetImportJob', dataset.arn).find((j) => PENDING.has(j.status));
  if (busy) throw new ResourceInUseError(`dataset ${dataset.arn} has import job ${busy.arn} running`);
  const schemaRecord = plane.lookup('schema', request.schemaArn, 'schemaArn');
  const type = dataset.props.datasetType as DatasetType;
  const next = parsedSchema(type, String(schemaRecord.props.schema), 'schemaArn');
  const issues = schemaReplacementIssues(schemaOf(plane, dataset), next);
  if (issues.length > 0) throw new InvalidInputError(issues);
  const now = Date.now() / 1000;
  const update: DatasetUpdate = {
    schemaArn: schemaRecord.arn,
    status: 'CREATE PENDING',
    creationDateTime: now,
    lastUpdatedDateTime: now,
  };
  dataset.props.latestDatasetUpdate = update;
  plane.store.touch(dataset);
  const setUpdate = (status: string, failureReason?: string) => {
    update.status = status;
    update.lastUpdatedDateTime = Date.now() / 1000;
    if (failureReason !== undefined) update.failureReason = failureReason;
    plane.store.touch(dataset);
  };
  plane.lifecycle.spawn(
    async () => {
      await plane.lifecycle.step();
      setUpdate(CREATE_STATUSES.running);
      try {
        await new DatasetData(plane.store.dataDir(dataset.id), next).conform();
      } catch (error) {
        setUpdate(CREATE_STATUSES.failed, error instanceof Error ? error.message : String(error));
        return;
      }
      await plane.lifecycle.step();
      dataset.props.schemaArn = schemaRecord.arn;
      setUpdate('ACTIVE');
    },
    (error) => setUpdate(CREATE_STATUSES.failed, String(error)),
  );
  return { datasetArn: dataset.arn };
};

/** The first error of a validation report, as a failureReason: rule, message, file and line. */
function firstError(report: ValidationReport): string | undefined {
  const rule = report.rules.find((r) => r.severity === 'error' && !NOT_PER_FILE.has(r.rule));
  if (rule === undefined) return undefined;
  const example = rule.examples[0];
  if (example === undefined) return `${rule.rule}: ${rule.description}`;
  const where = example.line > 0 ? ` (${basename(example.file)} line ${example.line})` : '';
  return `${rule.rule}: ${example.message}${where}`;
}

async function runImport(
  plane: LocalPersonalize,
  job: ResourceRecord,
  dataset: ResourceRecord,
): Promise<void> {
  const data = dataOf(plane, dataset);
  const schema = schemaOf(plane, dataset);
  const location = String((job.props.dataSource as { dataLocation: string }).dataLocation);
  const fetched = await plane.s3.fetch(location, 'dataSource.dataLocation');
  try {
    if (fetched.files.length === 0)
      throw new JobFailedError(`no files at ${location}`, `no files at ${location}`);
    let records = 0;
    for (const file of fetched.files) {
      const report = await validateDatasets({
        [schema.datasetType]: file,
        schemas: { [schema.datasetType]: schema },
      });
      const reason = firstError(report);
      if (reason !== undefined) throw new JobFailedError(reason, reason);
      for (const summary of report.files) records += summary.rows;
    }
    if (schema.datasetType === 'interactions' && records < MIN_IMPORT_INTERACTIONS) {
      const reason = `min-interactions: an interactions import needs at least ${MIN_IMPORT_INTERACTIONS} records, ${location} has ${records}`;
      throw new JobFailedError(reason, reason);
    }
    if (job.props.importMode === 'INCREMENTAL') await data.upsert(fetched.files);
    else await data.replace(fetched.files);
  } finally {
    await fetched.release();
  }
}

const createDatasetImportJob: Operation = async (plane, body) => {
  const request = plane.parse(shapes.createDatasetImportJob, body);
  parseLocation(request.dataSource.dataLocation, 'dataSource.dataLocation');
  const dataset = plane.lookup('dataset', request.datasetArn);
  plane.requireActive(dataset);
  const importMode = request.importMode ?? 'FULL';
  const earlier = plane.store.list('datasetImportJob', dataset.arn);
  if (importMode === 'INCREMENTAL' && !earlier.some((j) => j.status === 'ACTIVE')) {
    throw new InvalidInputError([
      {
        field: 'importMode',
        message: 'the first import of a dataset must be FULL (no earlier import succeeded)',
      },
    ]);
  }
  const pending = plane.store.list('datasetImportJob').filter((j) => PENDING.has(j.status)).length;
  if (pending >= MAX_PENDING_IMPORTS) {
    throw new LimitExceededError(
      `More than ${MAX_PENDING_IMPORTS} resources with PENDING or IN_PROGRESS status (dataset import jobs)`,
    );
  }
  const job = plane.create('datasetImportJob', {
    resource: `dataset-import-job/${request.jobName}`,
    name: request.jobName,
    parentArn: dataset.arn,
    props: {
      datasetArn: dataset.arn,
      dataSource: request.dataSource,
      importMode,
      ...(request.roleArn && { roleArn: request.roleArn }),
      publishAttributionMetricsToS3: request.publishAttributionMetricsToS3 ?? false,
    },
    tags: request.tags,
  });
  plane.advance(job, () => runImport(plane, job, dataset));
  return { datasetImportJobArn: job.arn };
};

export const DATASET_OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateDatasetGroup: createDatasetGroup,
  DescribeDatasetGroup: describeOperation('datasetGroup'),
  ListDatasetGroups: listOperation('datasetGroup'),
  DeleteDatasetGroup: deleteDatasetGroup,
  CreateSchema: createSchema,
  DescribeSchema: describeOperation('schema'),
  ListSchemas: listOperation('schema'),
  DeleteSchema: deleteSchema,
  CreateDataset: createDataset,
  DescribeDataset: describeOperation('dataset'),
  UpdateDataset: updateDataset,
  ListDatasets: listOperation('dataset', 'datasetGroupArn', 'datasetGroup'),
  DeleteDataset: deleteDataset,
  CreateDatasetImportJob: createDatasetImportJob,
  DescribeDatasetImportJob: describeOperation('datasetImportJob'),
  ListDatasetImportJobs: listOperation('datasetImportJob', 'datasetArn', 'dataset'),
};
