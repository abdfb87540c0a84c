import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { WORKFLOW_ENV } from '../../src/config/lambda-env.ts';
import { loadDataset, trainHybrid } from '../../src/local/index.ts';
import { DATASET_TYPES, type DatasetType } from '../../src/schemas/types.ts';
import { requiredKeyedRecord, requiredString } from '../shared/env.ts';
import { deployedSchemas } from './deployed-schemas.ts';
import { downloadFiles } from './s3-files.ts';

const s3 = new S3Client({});
const personalize = new PersonalizeClient({});
const bucket = requiredString(process.env, WORKFLOW_ENV.bucketName);
const artifactKey = requiredString(process.env, WORKFLOW_ENV.modelArtifactKey);
const schemaArns = requiredKeyedRecord(process.env, WORKFLOW_ENV.schemaArns, DATASET_TYPES);

/** Input of the `Train local model` step: the run's files, as the validation step found them. */
export interface TrainLocalInput {
  readonly dataPrefix: string;
  readonly files: Readonly<Partial<Record<DatasetType, string>>>;
}

export interface TrainLocalOutput {
  readonly artifactUri: string;
  readonly users: number;
  readonly items: number;
  readonly bytes: number;
}

/**
 * Step `Train local model`: trains the local fallback model on the same files Personalize imports and
 * writes it where the recommend Lambda loads it (`ModelArtifactUri`).
 */
export async function handler(input: TrainLocalInput): Promise<TrainLocalOutput> {
  const dir = join('/tmp', `train-${Date.now()}`);
  try {
    const paths = await downloadFiles(s3, bucket, input.files, dir);
    const schemas = await deployedSchemas(personalize, schemaArns, Object.keys(paths) as DatasetType[]);
    const { interactions, items, users } = paths;
    const dataset = await loadDataset({ interactions: interactions!, items, users, schemas });
    const model = trainHybrid(dataset);
    const body = model.serialize();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: artifactKey, Body: body }));
    return {
      artifactUri: `s3://${bucket}/${artifactKey}`,
      users: model.users.ids.length,
      items: model.items.ids.length,
      bytes: body.byteLength,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
