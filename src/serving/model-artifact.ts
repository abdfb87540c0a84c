import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { InvalidInputError } from '../errors.ts';

/** Reads one S3 object's bytes. */
export type S3ObjectReader = (bucket: string, key: string) => Promise<Uint8Array>;

export interface ArtifactOptions {
  /** Needed for `s3://` locations. */
  readonly readS3Object?: S3ObjectReader;
  /** @default os.tmpdir() (Lambda's writable /tmp) */
  readonly directory?: string;
}

/**
 * An S3 reader that loads the S3 client only when first called: the model is fetched on the first fallback,
 * so the Lambda's cold start does not pay for the S3 client.
 */
export function lazyS3ObjectReader(client?: S3Client): S3ObjectReader {
  return async (bucket, key) => {
    const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
    const output = await (client ?? new S3Client({})).send(
      new GetObjectCommand({ Bucket: bucket, Key: key }),
    );
    if (!output.Body)
      throw new InvalidInputError([{ field: 'artifact', message: `s3://${bucket}/${key} is empty` }]);
    return output.Body.transformToByteArray();
  };
}

/**
 * A local file path for the model artifact: a path is used as it is; `s3://bucket/key` is downloaded once to
 * the temporary directory (callers share the result through `lazyShared`).
 */
export async function resolveArtifact(location: string, options: ArtifactOptions = {}): Promise<string> {
  if (!location.startsWith('s3://')) return location;
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  if (!match?.[1] || !match[2]) {
    throw new InvalidInputError([{ field: 'artifact', message: `must be s3://bucket/key, got ${location}` }]);
  }
  const read = options.readS3Object ?? lazyS3ObjectReader();
  const path = join(options.directory ?? tmpdir(), basename(match[2]));
  await writeFile(path, await read(match[1], match[2]));
  return path;
}
