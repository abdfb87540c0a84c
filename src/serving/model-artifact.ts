import { rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { awsCall } from '../aws/aws-errors.ts';
import { InvalidInputError } from '../errors.ts';
import type { VersionedSource } from './refreshing-shared.ts';

/** Reads one S3 object's bytes (of the given ETag when `ifMatch` is set). */
export type S3ObjectReader = (bucket: string, key: string, ifMatch?: string) => Promise<Uint8Array>;

/** The current ETag of one S3 object. */
export type S3ObjectTagger = (bucket: string, key: string) => Promise<string>;

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
  return async (bucket, key, ifMatch) => {
    const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
    const output = await awsCall({ action: 's3:GetObject', resource: `s3://${bucket}/${key}` }, () =>
      (client ?? new S3Client({})).send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: ifMatch })),
    );
    if (!output.Body)
      throw new InvalidInputError([{ field: 'artifact', message: `s3://${bucket}/${key} is empty` }]);
    return output.Body.transformToByteArray();
  };
}

/** HeadObject through a lazily loaded client, like `lazyS3ObjectReader`. */
export function lazyS3ObjectTagger(client?: S3Client): S3ObjectTagger {
  return async (bucket, key) => {
    const { HeadObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
    const output = await awsCall({ action: 's3:HeadObject', resource: `s3://${bucket}/${key}` }, () =>
      (client ?? new S3Client({})).send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
    );
    return output.ETag ?? `${output.LastModified?.toISOString()}:${output.ContentLength}`;
  };
}

function parseS3Location(location: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  if (!match?.[1] || !match[2]) {
    throw new InvalidInputError([{ field: 'artifact', message: `must be s3://bucket/key, got ${location}` }]);
  }
  return { bucket: match[1], key: match[2] };
}

export interface ArtifactSourceOptions extends ArtifactOptions {
  readonly tagS3Object?: S3ObjectTagger;
}

/**
 * The model artifact as a versioned source for `refreshingShared`: its version is the S3 ETag (or a local
 * file's mtime and size), and each load reads exactly that version (GetObject If-Match), hands the file to
 * `loadModel`, then removes the download (models are read into memory; /tmp is small).
 */
export function modelArtifactSource<T>(
  location: string,
  loadModel: (path: string) => Promise<T>,
  options: ArtifactSourceOptions = {},
): VersionedSource<T> {
  if (!location.startsWith('s3://')) {
    return {
      version: async () => {
        const info = await stat(location);
        return `${info.mtimeMs}:${info.size}`;
      },
      load: () => loadModel(location),
    };
  }
  const { bucket, key } = parseS3Location(location);
  const tag = options.tagS3Object ?? lazyS3ObjectTagger();
  const read = options.readS3Object ?? lazyS3ObjectReader();
  return {
    version: () => tag(bucket, key),
    load: async (etag) => {
      const safe = etag.replace(/[^A-Za-z0-9]/g, '');
      const path = join(options.directory ?? tmpdir(), `${basename(key)}.${safe}`);
      await writeFile(path, await read(bucket, key, etag));
      try {
        return await loadModel(path);
      } finally {
        await rm(path, { force: true });
      }
    },
  };
}
