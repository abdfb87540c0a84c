import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { awsCall } from '../../src/aws/aws-errors.ts';
import type { DatasetType } from '../../src/schemas/types.ts';

/** Every object key under `prefix` (one level deep is enough: files sit directly in the run's folder). */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  const pages = paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix, Delimiter: '/' });
  await awsCall({ action: 's3:ListObjectsV2', resource: `s3://${bucket}/${prefix}` }, async () => {
    for await (const page of pages) {
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    }
  });
  return keys;
}

/** A small object's text, or undefined when it does not exist. */
export async function readTextIfExists(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<string | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await object.Body?.transformToString();
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** Streams each file to `dir` (Lambda's ephemeral storage) without holding it in memory; returns local paths. */
export async function downloadFiles(
  s3: S3Client,
  bucket: string,
  files: Readonly<Partial<Record<DatasetType, string>>>,
  dir: string,
): Promise<Partial<Record<DatasetType, string>>> {
  await mkdir(dir, { recursive: true });
  const local: Partial<Record<DatasetType, string>> = {};
  for (const [type, key] of Object.entries(files) as [DatasetType, string][]) {
    const path = join(dir, `${type}.csv`);
    const object = await awsCall({ action: 's3:GetObject', resource: `s3://${bucket}/${key}` }, () =>
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
    );
    await pipeline(object.Body as Readable, createWriteStream(path));
    local[type] = path;
  }
  return local;
}
