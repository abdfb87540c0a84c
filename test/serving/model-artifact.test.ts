import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { lazyS3ObjectReader, resolveArtifact } from '../../src/serving/model-artifact.ts';

const s3 = mockClient(S3Client);
const directory = mkdtempSync(join(tmpdir(), 'artifact-'));

afterEach(() => s3.reset());

describe('Function: resolveArtifact', () => {
  it('uses a path as it is', async () => {
    expect(await resolveArtifact('/models/model.bin')).toBe('/models/model.bin');
  });

  it('downloads an s3:// artifact into the directory', async () => {
    // The SDK's streaming body, reduced to the one method the loader calls.
    const Body = { transformToByteArray: async () => new TextEncoder().encode('model bytes') };
    s3.on(GetObjectCommand).resolves({ Body } as never);
    const path = await resolveArtifact('s3://bucket/models/v1/model.bin', {
      readS3Object: lazyS3ObjectReader(new S3Client({ region: 'us-east-1' })),
      directory,
    });
    expect(path).toBe(join(directory, 'model.bin'));
    expect(readFileSync(path, 'utf8')).toBe('model bytes');
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'bucket',
      Key: 'models/v1/model.bin',
    });
    rmSync(directory, { recursive: true, force: true });
  });

  it('refuses a malformed s3 location', async () => {
    await expect(resolveArtifact('s3://bucket-only')).rejects.toThrow('must be s3://bucket/key');
  });
});
