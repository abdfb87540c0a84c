import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { UnavailableError } from '../errors.ts';
import { awsCall } from './aws-errors.ts';
import { type S3Location, s3Uri } from './s3-uri.ts';

/** 16 MiB parts: few requests for large files, well under S3's 10,000-part limit up to 160 GB. */
const PART_SIZE = 16 * 1024 * 1024;

/**
 * Uploads a local file (multipart above one part), telling `onProgress` the bytes sent out of the total.
 * AccessDenied names the bucket and `s3:PutObject`.
 */
export async function uploadFile(
  s3: S3Client,
  file: string,
  target: S3Location,
  onProgress?: (sent: number, total: number) => void,
): Promise<void> {
  const { size } = await stat(file);
  const upload = new Upload({
    client: s3,
    params: { Bucket: target.bucket, Key: target.key, Body: createReadStream(file) },
    partSize: PART_SIZE,
    queueSize: 4,
  });
  upload.on('httpUploadProgress', (p) => onProgress?.(p.loaded ?? 0, size));
  await awsCall({ action: 's3:PutObject', resource: `bucket ${target.bucket} (${s3Uri(target)})` }, () =>
    upload.done(),
  );
  onProgress?.(size, size);
}

/** The object's body as a Node stream. AccessDenied names the bucket and `s3:GetObject`. */
export async function openObject(s3: S3Client, source: S3Location): Promise<Readable> {
  const reply = await awsCall(
    { action: 's3:GetObject', resource: `bucket ${source.bucket} (${s3Uri(source)})` },
    () => s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key })),
  );
  if (!reply.Body) throw new UnavailableError(`s3:GetObject on ${s3Uri(source)} returned no body`);
  return reply.Body as Readable;
}

/** Streams an object to a local file. */
export async function downloadFile(s3: S3Client, source: S3Location, file: string): Promise<void> {
  await pipeline(await openObject(s3, source), createWriteStream(file));
}
