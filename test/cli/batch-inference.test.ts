import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBatchInferenceJobCommand,
  DescribeBatchInferenceJobCommand,
} from '@aws-sdk/client-personalize';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidInputError } from '../../src/errors.ts';
import { mockedAwsClients } from '../batch/aws-mocks.ts';
import { cli, jobResources } from './batch-job-harness.ts';

const { s3, personalize } = mockedAwsClients();
let dir: string;
let users: string;

const resources = () => jobResources(dir, 'inf');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-inference-'));
  users = join(dir, 'users.csv');
  await writeFile(users, 'USER_ID\nu1\nu2\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));
beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  s3.reset();
  personalize.reset();
});

describe('batch-inference', () => {
  it('refuses an --export that is neither .csv nor .parquet before the job starts, naming --export', async () => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand).rejects(new Error('no output should be read'));
    personalize.on(CreateBatchInferenceJobCommand).resolves({ batchInferenceJobArn: 'arn:job/inf' });
    personalize.on(DescribeBatchInferenceJobCommand).resolves({ batchInferenceJob: { status: 'ACTIVE' } });

    const run = cli(
      'batch-inference',
      '--recipe',
      'user-personalization',
      '--users',
      users,
      '--export',
      join(dir, 'recs.txt'),
      ...resources(),
    );

    await expect(run).rejects.toThrow(InvalidInputError);
    await expect(run).rejects.toThrow(/^--export: must end in \.csv or \.parquet, got .*recs\.txt$/);
    expect(personalize.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });
});
