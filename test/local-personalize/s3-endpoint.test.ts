import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';
import { type LocalPersonalize, openLocalPersonalize } from '../../src/local-personalize/index.ts';
import { DEFAULT_SCHEMA_DIR } from '../../src/schemas/index.ts';
import { type MotoServer, startMotoServer } from '../helpers/moto-server.ts';

const ARN = 'arn:aws:personalize:us-east-1:000000000000:';

async function settled(
  plane: LocalPersonalize,
  arn: string,
): Promise<{ status: string; failureReason?: string }> {
  for (;;) {
    const { datasetImportJob } = (await plane.call('DescribeDatasetImportJob', {
      datasetImportJobArn: arn,
    })) as {
      datasetImportJob: { status: string; failureReason?: string };
    };
    if (datasetImportJob.status === 'ACTIVE' || datasetImportJob.status === 'CREATE FAILED')
      return datasetImportJob;
    await sleep(25);
  }
}

describe('Local Personalize: imports from an S3 endpoint (moto_server)', () => {
  let moto: MotoServer;
  let root: string;
  let plane: LocalPersonalize;
  let rows: number;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'lp-moto-'));
    moto = await startMotoServer();
    const s3 = new S3Client(moto.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: 'imports' }));
    await generateDataset({ outDir: join(root, 'data'), interactions: 1200, seed: 9 });
    const csv = readFileSync(join(root, 'data', 'interactions.csv'), 'utf8');
    rows = csv.trim().split('\n').length - 1;
    const [header, ...lines] = csv.trim().split('\n');
    const half = Math.floor(lines.length / 2);
    await s3.send(new PutObjectCommand({ Bucket: 'imports', Key: 'all/interactions.csv', Body: csv }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'imports',
        Key: 'parts/a.csv',
        Body: [header, ...lines.slice(0, half)].join('\n'),
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: 'imports',
        Key: 'parts/b.csv',
        Body: [header, ...lines.slice(half)].join('\n'),
      }),
    );
    plane = await openLocalPersonalize({
      stateDir: join(root, 'state'),
      s3Endpoint: moto.endpoint,
      trainInWorker: false,
    });
    await plane.call('CreateDatasetGroup', { name: 'moto' });
    await plane.call('CreateSchema', {
      name: 'moto-interactions',
      schema: readFileSync(join(DEFAULT_SCHEMA_DIR, 'interactions.json'), 'utf8'),
    });
    await sleep(20);
    await plane.call('CreateDataset', {
      name: 'moto-ds',
      datasetGroupArn: `${ARN}dataset-group/moto`,
      schemaArn: `${ARN}schema/moto-interactions`,
      datasetType: 'Interactions',
    });
    await sleep(20);
  });
  afterAll(async () => {
    await plane?.close();
    await moto?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const importFrom = async (jobName: string, dataLocation: string, importMode = 'FULL') => {
    const { datasetImportJobArn } = await plane.call('CreateDatasetImportJob', {
      jobName,
      datasetArn: `${ARN}dataset/moto/INTERACTIONS`,
      dataSource: { dataLocation },
      importMode,
    });
    return settled(plane, String(datasetImportJobArn));
  };
  const storedRows = () => {
    const dataset = plane.lookup('dataset', `${ARN}dataset/moto/INTERACTIONS`);
    return (
      readFileSync(join(plane.store.dataDir(dataset.id), 'bulk.csv'), 'utf8')
        .trim()
        .split('\n').length - 1
    );
  };

  it('imports one object, then a folder of objects, replacing the rows on FULL', async () => {
    expect(await importFrom('moto-one', 's3://imports/all/interactions.csv')).toEqual(
      expect.objectContaining({ status: 'ACTIVE' }),
    );
    expect(storedRows()).toBe(rows);
    expect(await importFrom('moto-folder', 's3://imports/parts/')).toEqual(
      expect.objectContaining({ status: 'ACTIVE' }),
    );
    expect(storedRows()).toBe(rows);
  });

  it('appends rows on INCREMENTAL', async () => {
    expect(await importFrom('moto-more', 's3://imports/all/interactions.csv', 'INCREMENTAL')).toEqual(
      expect.objectContaining({ status: 'ACTIVE' }),
    );
    expect(storedRows()).toBe(2 * rows);
  });

  it('fails a job whose object does not exist, saying so', async () => {
    const job = await importFrom('moto-missing', 's3://imports/nothing/here.csv');
    expect(job.status).toBe('CREATE FAILED');
    expect(job.failureReason).toMatch(/s3:\/\/imports\/nothing\/here\.csv does not exist/);
  });
});
