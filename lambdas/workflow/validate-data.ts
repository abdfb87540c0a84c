import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { S3Client } from '@aws-sdk/client-s3';
import { WORKFLOW_ENV } from '../../src/config/lambda-env.ts';
import { validateDatasets } from '../../src/data-validation/index.ts';
import type { ValidationReport } from '../../src/data-validation/types.ts';
import { hasBulkImport } from '../../src/datasets/bulk-imports.ts';
import { DATASET_TYPES, type DatasetType } from '../../src/schemas/types.ts';
import { requiredChoice, requiredKeyedRecord, requiredString } from '../shared/env.ts';
import { deployedSchemas } from './deployed-schemas.ts';
import {
  dataPrefixOf,
  type ImportPlan,
  planImport,
  resolveRunInput,
  type WorkflowInput,
} from './import-plan.ts';
import { downloadFiles, listKeys, readTextIfExists } from './s3-files.ts';

const s3 = new S3Client({});
const personalize = new PersonalizeClient({});
const env = process.env;
const bucket = requiredString(env, WORKFLOW_ENV.bucketName);
const importPrefix = requiredString(env, WORKFLOW_ENV.importPrefix);
const deployment = {
  importMode: requiredChoice(env, WORKFLOW_ENV.importMode, ['FULL', 'INCREMENTAL']),
  jobNamePrefix: requiredString(env, WORKFLOW_ENV.jobNamePrefix),
  datasetArns: requiredKeyedRecord(env, WORKFLOW_ENV.datasetArns, DATASET_TYPES),
};
const schemaArns = requiredKeyedRecord(env, WORKFLOW_ENV.schemaArns, DATASET_TYPES);

/** The datasets that already hold a bulk import: only those may import INCREMENTAL. */
async function bulkImported(): Promise<Set<DatasetType>> {
  const types = DATASET_TYPES.filter((type) => deployment.datasetArns[type] !== undefined);
  const imported = await Promise.all(
    types.map((type) => hasBulkImport(personalize, deployment.datasetArns[type]!)),
  );
  return new Set(types.filter((_, i) => imported[i]));
}

/** What the state machine branches on: `valid: false` stops the run before any import. */
export interface ValidationOutcome extends ImportPlan {
  readonly valid: boolean;
  readonly report: ValidationReport;
}

/** Step `Validate data`: streams the run's CSV files from S3 to /tmp and runs the project's validator. */
export async function handler(event: WorkflowInput): Promise<ValidationOutcome> {
  const input = await resolveRunInput(event, importPrefix, (key) => readTextIfExists(s3, bucket, key));
  const keys = await listKeys(s3, bucket, dataPrefixOf(input));
  const plan = planImport(
    input,
    keys,
    { ...deployment, bulkImported: await bulkImported() },
    bucket,
    new Date(),
  );
  const dir = join('/tmp', `validate-${Date.now()}`);
  try {
    const paths = await downloadFiles(s3, bucket, plan.files, dir);
    const schemas = await deployedSchemas(personalize, schemaArns, Object.keys(paths) as DatasetType[]);
    const report = await validateDatasets({ ...paths, schemas, options: { maxExamples: 3 } });
    return { ...plan, valid: report.ok, report };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
