import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readyMarkerBody, readyMarkerImportMode } from '../../src/config/import-layout.ts';
import { uploadDatasets } from '../../src/datasets/dataset-upload.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { mockedAwsClients } from '../batch/aws-mocks.ts';

const { s3, clients } = mockedAwsClients();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ready-marker-'));
  await writeFile(join(dir, 'i.csv'), 'USER_ID,ITEM_ID,TIMESTAMP\nu1,a,1\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => s3.reset());

async function markerWritten(importMode?: 'FULL' | 'INCREMENTAL') {
  s3.on(PutObjectCommand).resolves({});
  await uploadDatasets(clients, {
    files: { interactions: join(dir, 'i.csv') },
    folder: { bucket: 'data', key: 'import/run1/' },
    trigger: 'workflow',
    importMode,
    jobNamePrefix: 'pt-',
    wait: false,
  });
  return s3.commandCalls(PutObjectCommand).at(-1)!.args[0].input;
}

describe('uploadDatasets (workflow trigger)', () => {
  it('carries the requested import mode in the _READY marker', async () => {
    const marker = await markerWritten('FULL');
    expect(marker.Key).toBe('import/run1/_READY');
    expect(readyMarkerImportMode(String(marker.Body), 'marker')).toBe('FULL');
  });

  it("leaves the deployment's import mode when none is requested", async () => {
    const marker = await markerWritten(undefined);
    expect(readyMarkerImportMode(String(marker.Body), 'marker')).toBeUndefined();
  });

  it('gives the marker a body of known length, so the SDK does not warn about a stream', async () => {
    for (const mode of ['INCREMENTAL', undefined] as const) {
      const marker = await markerWritten(mode);
      expect(typeof marker.Body).toBe('string');
      expect(marker.ContentLength).toBe(Buffer.byteLength(String(marker.Body)));
      expect(marker.ContentLength).toBeGreaterThan(0);
    }
  });
});

describe('Function: readyMarkerImportMode', () => {
  it('reads back what readyMarkerBody writes', () => {
    expect(readyMarkerImportMode(readyMarkerBody('INCREMENTAL'), 'm')).toBe('INCREMENTAL');
    expect(readyMarkerImportMode(readyMarkerBody(), 'm')).toBeUndefined();
  });

  it('takes an empty marker written by hand as no request', () => {
    expect(readyMarkerImportMode('', 'm')).toBeUndefined();
    expect(readyMarkerImportMode(' \n', 'm')).toBeUndefined();
  });

  it('fails naming the marker and the accepted forms on anything else', () => {
    for (const body of ['FULL', '{"importMode":"full"}', '[]', '{"mode":"FULL"}']) {
      expect(() => readyMarkerImportMode(body, 'import/b/_READY'), body).toThrow(InvalidInputError);
      expect(() => readyMarkerImportMode(body, 'import/b/_READY'), body).toThrow(
        /^import\/b\/_READY: must be empty, \{\}, \{"importMode":"FULL"\} or \{"importMode":"INCREMENTAL"\}/,
      );
    }
  });
});
