import { createWriteStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InvalidInputError, ResourceNotFoundError } from '../errors.ts';

/** Local files holding the objects of one `s3://` location; `release` removes any temporary copies. */
export interface FetchedObjects {
  readonly files: readonly string[];
  release(): Promise<void>;
}

/**
 * The S3 the control plane's jobs read and write: a location is one object, or (ending in `/`) every object
 * under that prefix, in key order.
 */
export interface S3Objects {
  fetch(uri: string, field: string): Promise<FetchedObjects>;
  put(uri: string, body: string, field: string): Promise<void>;
}

interface Location {
  readonly bucket: string;
  readonly key: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * `s3://bucket/key` split and checked so that no key can leave its bucket once mapped to a folder: no `..`
 * or `.` segment, no empty segment inside the key, no backslash, NUL or percent-encoded separator or dot.
 */
export function parseLocation(uri: string, field: string): Location {
  const bad = (why: string) =>
    new InvalidInputError([{ field, message: `${why} (got ${JSON.stringify(uri.slice(0, 120))})` }]);
  if (typeof uri !== 'string' || uri.length > 256)
    throw bad('must be an s3:// path of at most 256 characters');
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!match) throw bad('must look like s3://bucket/key');
  const [, bucket, key] = match as unknown as [string, string, string];
  if (!BUCKET.test(bucket) || bucket.includes('..')) throw bad('names no valid S3 bucket');
  if (/[\\\0]|%(2f|5c|2e|00)/i.test(key))
    throw bad('must not contain backslashes, NUL or encoded separators');
  const segments = key.split('/');
  const last = segments.length - 1;
  if (segments.some((s, i) => s === '..' || s === '.' || (s === '' && i !== last))) {
    throw bad('must not contain empty, "." or ".." path segments');
  }
  return { bucket, key };
}

/** `s3://bucket/key` → `<root>/bucket/key`, checked to stay under `root` even through symlinks. */
export class FolderS3 implements S3Objects {
  constructor(private readonly root: string) {}

  async fetch(uri: string, field: string): Promise<FetchedObjects> {
    const location = parseLocation(uri, field);
    const path = await this.existingPath(location, field, uri);
    const info = await lstat(path);
    const files = info.isDirectory() ? await this.filesUnder(path, field, uri) : [path];
    if (!info.isDirectory() && location.key.endsWith('/')) {
      throw new InvalidInputError([{ field, message: `${uri} is a file, not a folder` }]);
    }
    return { files, release: async () => {} };
  }

  async put(uri: string, body: string, field: string): Promise<void> {
    const location = parseLocation(uri, field);
    if (location.key === '' || location.key.endsWith('/')) {
      throw new InvalidInputError([{ field, message: `${uri} must name an object, not a folder` }]);
    }
    const path = this.mapped(location, field, uri);
    await mkdir(dirname(path), { recursive: true });
    await this.checkInside(dirname(path), field, uri);
    // A symlink planted at the object's own name would redirect the write.
    const existing = await lstat(path).catch(() => undefined);
    if (existing?.isSymbolicLink()) throw outside(field, uri);
    await writeFile(path, body);
  }

  private mapped(location: Location, field: string, uri: string): string {
    const path = join(this.root, location.bucket, ...location.key.split('/').filter((s) => s !== ''));
    const rel = relative(this.root, path);
    if (rel.startsWith('..') || isAbsolute(rel)) throw outside(field, uri);
    return path;
  }

  private async existingPath(location: Location, field: string, uri: string): Promise<string> {
    const path = this.mapped(location, field, uri);
    const info = await lstat(path).catch(() => undefined);
    if (info === undefined) throw new ResourceNotFoundError(`${field}: ${uri} does not exist`);
    await this.checkInside(path, field, uri);
    return path;
  }

  /** The real path (symlinks resolved) must still lie under the real root. */
  private async checkInside(path: string, field: string, uri: string): Promise<void> {
    const root = await realpath(this.root).catch(() => this.root);
    const real = await realpath(path);
    if (real !== root && !real.startsWith(root + sep)) throw outside(field, uri);
  }

  private async filesUnder(dir: string, field: string, uri: string): Promise<string[]> {
    const out: string[] = [];
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() || entry.isSymbolicLink()) {
        await this.checkInside(path, field, uri);
        if ((await lstat(await realpath(path))).isDirectory()) continue;
      }
      out.push(path);
    }
    return out;
  }
}

function outside(field: string, uri: string): InvalidInputError {
  return new InvalidInputError([{ field, message: `${uri} leads outside the local S3 folder` }]);
}

/** A real S3 API (moto, LocalStack, MinIO, AWS) reached with path-style addressing; objects are copied to a temp folder. */
export class EndpointS3 implements S3Objects {
  private readonly client: S3Client;

  constructor(
    endpoint: string,
    private readonly scratch: string,
    region = 'us-east-1',
  ) {
    this.client = new S3Client({
      endpoint,
      forcePathStyle: true,
      region,
      ...(process.env.AWS_ACCESS_KEY_ID === undefined && {
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    });
  }

  async fetch(uri: string, field: string): Promise<FetchedObjects> {
    const { bucket, key } = parseLocation(uri, field);
    const keys = key === '' || key.endsWith('/') ? await this.keysUnder(bucket, key) : [key];
    if (keys.length === 0) throw new ResourceNotFoundError(`${field}: ${uri} holds no objects`);
    await mkdir(this.scratch, { recursive: true });
    const dir = await mkdtemp(join(this.scratch, 's3-'));
    const release = () => rm(dir, { recursive: true, force: true });
    try {
      const files: string[] = [];
      for (const [i, objectKey] of keys.entries()) {
        const reply = await this.client
          .send(new GetObjectCommand({ Bucket: bucket, Key: objectKey }))
          .catch((error: { name?: string }) => {
            if (error.name === 'NoSuchKey' || error.name === 'NoSuchBucket') {
              throw new ResourceNotFoundError(`${field}: s3://${bucket}/${objectKey} does not exist`);
            }
            throw error;
          });
        const file = join(dir, `${i}.part`);
        await pipeline(reply.Body as NodeJS.ReadableStream, createWriteStream(file));
        files.push(file);
      }
      return { files, release };
    } catch (error) {
      await release();
      throw error;
    }
  }

  async put(uri: string, body: string, field: string): Promise<void> {
    const { bucket, key } = parseLocation(uri, field);
    await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  }

  private async keysUnder(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key && !object.Key.endsWith('/')) keys.push(object.Key);
      }
      token = page.NextContinuationToken;
    } while (token);
    return keys.sort();
  }
}
