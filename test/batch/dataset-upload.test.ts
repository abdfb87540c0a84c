import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateDatasetImportJobCommand,
  DescribeDatasetImportJobCommand,
  ListDatasetImportJobsCommand,
} from '@aws-sdk/client-personalize';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DatasetUploadRequest, uploadDatasets } from '../../src/datasets/dataset-upload.ts';
import { AccessDeniedError, JobFailedError } from '../../src/errors.ts';
import { awsError, fakeClock, mockedAwsClients } from './aws-mocks.ts';

const { s3, personalize, clients } = mockedAwsClients();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dataset-upload-'));
  await writeFile(join(dir, 'i.csv'), 'USER_ID,ITEM_ID,TIMESTAMP\nu1,a,1\n');
  await writeFile(join(dir, 'items.csv'), 'ITEM_ID\na\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));
beforeEach(() => {
  // Unless a test says otherwise, every dataset already holds a bulk import, so INCREMENTAL stays.
  personalize.on(ListDatasetImportJobsCommand).resolves({ datasetImportJobs: [{ status: 'ACTIVE' }] });
});
afterEach(() => {
  s3.reset();
  personalize.reset();
});

const request = (overrides: Partial<DatasetUploadRequest> = {}): DatasetUploadRequest => ({
  files: { interactions: join(dir, 'i.csv'), items: join(dir, 'items.csv') },
  folder: { bucket: 'data', key: 'import/run1/' },
  trigger: 'jobs',
  roleArn: 'arn:role',
  datasetArns: { interactions: 'arn:ds/interactions', items: 'arn:ds/items' },
  importMode: 'INCREMENTAL',
  jobNamePrefix: 'pt-',
  wait: true,
  poll: fakeClock().poll,
  ...overrides,
});

describe('uploadDatasets', () => {
  it('uploads each file as <type>.csv, starts an import job per dataset and follows them to ACTIVE', async () => {
    s3.on(PutObjectCommand).resolves({});
    personalize
      .on(CreateDatasetImportJobCommand, { datasetArn: 'arn:ds/items' })
      .resolves({ datasetImportJobArn: 'arn:job/items' })
      .on(CreateDatasetImportJobCommand, { datasetArn: 'arn:ds/interactions' })
      .resolves({ datasetImportJobArn: 'arn:job/interactions' });
    personalize
      .on(DescribeDatasetImportJobCommand)
      .resolvesOnce({ datasetImportJob: { status: 'CREATE IN_PROGRESS' } })
      .resolves({ datasetImportJob: { status: 'ACTIVE' } });

    const result = await uploadDatasets(clients, request());

    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      'import/run1/items.csv',
      'import/run1/interactions.csv',
    ]);
    expect(personalize.commandCalls(CreateDatasetImportJobCommand)[1]!.args[0].input).toMatchObject({
      datasetArn: 'arn:ds/interactions',
      roleArn: 'arn:role',
      dataSource: { dataLocation: 's3://data/import/run1/interactions.csv' },
      importMode: 'INCREMENTAL',
      jobName: expect.stringMatching(/^pt-interactions-\d{8}T\d{6}$/),
    });
    expect(result.importJobArns).toEqual({ items: 'arn:job/items', interactions: 'arn:job/interactions' });
  });

  it('imports FULL into a dataset that never had a bulk import, and says so', async () => {
    s3.on(PutObjectCommand).resolves({});
    personalize
      .on(ListDatasetImportJobsCommand, { datasetArn: 'arn:ds/interactions' })
      .resolves({ datasetImportJobs: [{ status: 'CREATE FAILED' }] });
    personalize.on(CreateDatasetImportJobCommand).resolves({ datasetImportJobArn: 'arn:job/x' });
    personalize.on(DescribeDatasetImportJobCommand).resolves({ datasetImportJob: { status: 'ACTIVE' } });

    const result = await uploadDatasets(clients, request());

    const modes = personalize
      .commandCalls(CreateDatasetImportJobCommand)
      .map((c) => [c.args[0].input.datasetArn, c.args[0].input.importMode]);
    expect(modes).toEqual([
      ['arn:ds/items', 'INCREMENTAL'],
      ['arn:ds/interactions', 'FULL'],
    ]);
    expect(result.importModes).toEqual({ items: 'INCREMENTAL', interactions: 'FULL' });
  });

  it('reports an import that ends CREATE FAILED with its failureReason', async () => {
    s3.on(PutObjectCommand).resolves({});
    personalize.on(CreateDatasetImportJobCommand).resolves({ datasetImportJobArn: 'arn:job/x' });
    personalize.on(DescribeDatasetImportJobCommand).resolves({
      datasetImportJob: {
        status: 'CREATE FAILED',
        failureReason: 'Input CSV is missing the following columns: [TIMESTAMP]',
      },
    });
    await expect(uploadDatasets(clients, request())).rejects.toThrow(JobFailedError);
    await expect(uploadDatasets(clients, request())).rejects.toThrow(/missing the following columns/);
  });

  it('leaves the import to the workflow by writing the _READY marker', async () => {
    s3.on(PutObjectCommand).resolves({});
    const result = await uploadDatasets(
      clients,
      request({ trigger: 'workflow', roleArn: undefined, datasetArns: undefined }),
    );
    expect(result.marker).toBe('s3://data/import/run1/_READY');
    expect(s3.commandCalls(PutObjectCommand).at(-1)!.args[0].input.Key).toBe('import/run1/_READY');
    expect(personalize.commandCalls(CreateDatasetImportJobCommand)).toHaveLength(0);
  });

  it('names the bucket and action when the upload is denied', async () => {
    s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 403));
    await expect(uploadDatasets(clients, request())).rejects.toThrow(AccessDeniedError);
    await expect(uploadDatasets(clients, request())).rejects.toThrow(
      /access denied: s3:PutObject on bucket data/,
    );
  });
});
