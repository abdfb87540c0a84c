import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { S3Client } from '@aws-sdk/client-s3';
import { validateDatasets } from '../../src/data-validation/index.ts';
import type { ValidationReport } from '../../src/data-validation/types.ts';
import { hasBulkImport } from '../../src/datasets/bulk-imports.ts';
import type { DatasetType } from '../../src/schemas/types.ts';
import { deployedSchemas } from './deployed-schemas.ts';
import { requireEnv, requireJsonEnv } from './env.ts';
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
const bucket = requireEnv('BUCKET_NAME');
const importPrefix = requireEnv('IMPORT_PREFIX');
const deployment = {
  importMode: requireEnv('IMPORT_MODE') as 'FULL' | 'INCREMENTAL',
  jobNamePrefix: requireEnv('JOB_NAME_PREFIX'),
  datasetArns: requireJsonEnv('DATASET_ARNS') as Partial<Record<DatasetType, string>>,
};
const schemaArns = requireJsonEnv('SCHEMA_ARNS') as Partial<Record<DatasetType, string>>;

/** The datasets that already hold a bulk import: only those may import INCREMENTAL. */
async function bulkImported(): Promise<Set<DatasetType>> {
  const types = Object.entries(deployment.datasetArns) as [DatasetType, string][];
  const imported = await Promise.all(types.map(([, arn]) => hasBulkImport(personalize, arn)));
  return new Set(types.filter((_, i) => imported[i]).map(([type]) => type));
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
