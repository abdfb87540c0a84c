import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  lazyS3ObjectReader,
  lazyS3ObjectTagger,
  modelArtifactSource,
} from '../../src/serving/model-artifact.ts';

const s3 = mockClient(S3Client);
const directory = mkdtempSync(join(tmpdir(), 'artifact-'));

afterEach(() => s3.reset());
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('Function: modelArtifactSource', () => {
  const client = new S3Client({ region: 'us-east-1' });
  const options = {
    readS3Object: lazyS3ObjectReader(client),
    tagS3Object: lazyS3ObjectTagger(client),
    directory,
  };

  it('versions an s3:// artifact by its ETag and loads exactly that version, leaving no download behind', async () => {
    s3.on(HeadObjectCommand).resolves({ ETag: '"abc123"' });
    const Body = { transformToByteArray: async () => new TextEncoder().encode('model v2') };
    s3.on(GetObjectCommand).resolves({ Body } as never);
    const seen: string[] = [];
    const source = modelArtifactSource(
      's3://bucket/models/model.bin',
      async (path) => {
        seen.push(readFileSync(path, 'utf8'));
        return path;
      },
      options,
    );

    const version = await source.version();
    const path = await source.load(version);

    expect(version).toBe('"abc123"');
    expect(seen).toEqual(['model v2']);
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toMatchObject({ IfMatch: '"abc123"' });
    expect(existsSync(path)).toBe(false);
  });

  it('versions a local file by its modification time and size', async () => {
    const file = join(directory, 'local.bin');
    writeFileSync(file, 'one');
    const source = modelArtifactSource(file, async (path) => readFileSync(path, 'utf8'));
    const first = await source.version();
    writeFileSync(file, 'three');
    expect(await source.version()).not.toBe(first);
    expect(await source.load(await source.version())).toBe('three');
  });
});
