import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  DescribeBatchInferenceJobCommand,
  DescribeBatchSegmentJobCommand,
} from '@aws-sdk/client-personalize';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BatchJobRequest, runBatchJob } from '../../src/batch/jobs/job-runner.ts';
import { AccessDeniedError, InvalidInputError, JobFailedError } from '../../src/errors.ts';
import { awsError, fakeClock, mockedAwsClients, objectBody } from './aws-mocks.ts';

const { s3, personalize, clients } = mockedAwsClients();
const OUTPUT = '{"input":{"userId":"u1"},"output":{"recommendedItems":["a"],"scores":[0.5]},"error":null}\n';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'job-runner-'));
  await writeFile(join(dir, 'users.jsonl'), '{"userId":"u1"}\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => {
  s3.reset();
  personalize.reset();
});

function request(overrides: Partial<BatchJobRequest> = {}) {
  const clock = fakeClock();
  const statuses: string[] = [];
  const req: BatchJobRequest = {
    kind: 'inference',
    jobName: 'job1',
    inputFile: join(dir, 'users.jsonl'),
    solutionVersionArn: 'arn:sv',
    roleArn: 'arn:role',
    inputPrefix: { bucket: 'data', key: 'batch/input/' },
    outputPrefix: { bucket: 'data', key: 'batch/output/' },
    numResults: 10,
    outputDir: dir,
    onStatus: (s) => statuses.push(s),
    poll: clock.poll,
    ...overrides,
  };
  return { req, clock, statuses };
}

describe('runBatchJob', () => {
  it('uploads the input, starts the job, polls with backoff until ACTIVE and downloads <input>.out', async () => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand, { Bucket: 'data', Key: 'batch/output/job1/users.jsonl.out' }).resolves({
      Body: objectBody(OUTPUT),
    });
    personalize.on(CreateBatchInferenceJobCommand).resolves({ batchInferenceJobArn: 'arn:job1' });
    personalize
      .on(DescribeBatchInferenceJobCommand)
      .resolvesOnce({ batchInferenceJob: { status: 'CREATE PENDING' } })
      .resolvesOnce({ batchInferenceJob: { status: 'CREATE IN_PROGRESS' } })
      .resolvesOnce({ batchInferenceJob: { status: 'CREATE IN_PROGRESS' } })
      .resolvesOnce({ batchInferenceJob: { status: 'CREATE IN_PROGRESS' } })
      .resolves({ batchInferenceJob: { status: 'ACTIVE' } });
    const { req, clock, statuses } = request();

    const result = await runBatchJob(clients, req);

    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({
      Bucket: 'data',
      Key: 'batch/input/job1/users.jsonl',
    });
    expect(personalize.commandCalls(CreateBatchInferenceJobCommand)[0]!.args[0].input).toEqual({
      jobName: 'job1',
      solutionVersionArn: 'arn:sv',
      roleArn: 'arn:role',
      numResults: 10,
      filterArn: undefined,
      jobInput: { s3DataSource: { path: 's3://data/batch/input/job1/users.jsonl' } },
      jobOutput: { s3DataDestination: { path: 's3://data/batch/output/job1/' } },
    });
    expect(statuses).toEqual([
      'CREATE PENDING',
      'CREATE IN_PROGRESS',
      'CREATE IN_PROGRESS',
      'CREATE IN_PROGRESS',
      'ACTIVE',
    ]);
    expect(clock.delays).toEqual([1000, 1500, 2250, 3000]);
    expect(result).toEqual({
      jobArn: 'arn:job1',
      input: 's3://data/batch/input/job1/users.jsonl',
      output: 's3://data/batch/output/job1/users.jsonl.out',
      outputFile: join(dir, 'users.jsonl.out'),
    });
    expect(await readFile(result.outputFile, 'utf8')).toBe(OUTPUT);
  });

  it('throws JobFailedError with the failureReason when the job ends CREATE FAILED', async () => {
    s3.on(PutObjectCommand).resolves({});
    personalize.on(CreateBatchInferenceJobCommand).resolves({ batchInferenceJobArn: 'arn:job2' });
    personalize.on(DescribeBatchInferenceJobCommand).resolves({
      batchInferenceJob: {
        status: 'CREATE FAILED',
        failureReason: 'Insufficient privileges for accessing data in S3',
      },
    });
    const run = runBatchJob(clients, request().req);
    await expect(run).rejects.toThrow(JobFailedError);
    await expect(run).rejects.toMatchObject({
      failureReason: 'Insufficient privileges for accessing data in S3',
      message: expect.stringContaining('arn:job2 ended CREATE FAILED: Insufficient privileges'),
    });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('names the bucket and the action when the upload is denied', async () => {
    s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 403, 'Access Denied'));
    const run = runBatchJob(clients, request().req);
    await expect(run).rejects.toThrow(AccessDeniedError);
    await expect(run).rejects.toThrow(/s3:PutObject on bucket data/);
    expect(personalize.commandCalls(CreateBatchInferenceJobCommand)).toHaveLength(0);
  });

  it('runs batch segment jobs through CreateBatchSegmentJob', async () => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand).resolves({
      Body: objectBody('{"input":{"itemId":"i1"},"output":{"recommendedUsers":["u1"]}}\n'),
    });
    personalize.on(CreateBatchSegmentJobCommand).resolves({ batchSegmentJobArn: 'arn:seg' });
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'ACTIVE' } });
    const result = await runBatchJob(clients, request({ kind: 'segment', jobName: 'seg1' }).req);
    expect(result.jobArn).toBe('arn:seg');
    expect(personalize.commandCalls(CreateBatchSegmentJobCommand)[0]!.args[0].input.jobOutput).toEqual({
      s3DataDestination: { path: 's3://data/batch/output/seg1/' },
    });
  });

  it('lets segment jobs ask for up to 5 million users per segment, inference jobs for up to 500 items', async () => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand).resolves({
      Body: objectBody('{"input":{"itemId":"i1"},"output":{"recommendedUsers":["u1"]}}\n'),
    });
    personalize.on(CreateBatchSegmentJobCommand).resolves({ batchSegmentJobArn: 'arn:seg' });
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'ACTIVE' } });
    await runBatchJob(clients, request({ kind: 'segment', numResults: 5_000_000 }).req);
    expect(personalize.commandCalls(CreateBatchSegmentJobCommand)[0]!.args[0].input.numResults).toBe(
      5_000_000,
    );

    const tooMany = runBatchJob(clients, request({ kind: 'segment', numResults: 5_000_001 }).req);
    await expect(tooMany).rejects.toThrow(InvalidInputError);
    await expect(tooMany).rejects.toThrow('numResults: must be an integer of 1..5000000 users per segment');
    await expect(runBatchJob(clients, request({ numResults: 501 }).req)).rejects.toThrow(
      'numResults: must be an integer of 1..500 items per input line, got 501',
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
  });
});
