import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBatchInferenceJobCommand,
  DescribeBatchInferenceJobCommand,
} from '@aws-sdk/client-personalize';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { objectBody } from '../batch/aws-mocks.ts';
import { batchJobClients, cli, jobResources } from './batch-job-harness.ts';

const { s3, personalize } = batchJobClients();
let dir: string;
let users: string;

const resources = () => jobResources(dir, 'inf');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-inference-'));
  users = join(dir, 'users.csv');
  await writeFile(users, 'USER_ID\nu1\nu2\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

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

  describe('output lines that carry an error', () => {
    const ok = (user: string) =>
      `{"input":{"userId":"${user}"},"output":{"recommendedItems":["i1"],"scores":[0.5]},"error":null}`;
    const failed = (user: string) =>
      `{"input":{"userId":"${user}","filterValues":{"GENRES":"\\"drama\\""}},"output":null,"error":"filterValues.GENRES: fills no placeholder of the filter"}`;

    /** Runs a job whose downloaded output is `lines`; returns the exit code and what went to stderr. */
    async function runWithOutput(lines: string[], ...extra: string[]) {
      s3.on(PutObjectCommand).resolves({});
      s3.on(GetObjectCommand).resolves({ Body: objectBody(`${lines.join('\n')}\n`) });
      personalize.on(CreateBatchInferenceJobCommand).resolves({ batchInferenceJobArn: 'arn:job/inf' });
      personalize.on(DescribeBatchInferenceJobCommand).resolves({ batchInferenceJob: { status: 'ACTIVE' } });
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const run = cli(
        'batch-inference',
        '--recipe',
        'user-personalization',
        '--users',
        users,
        ...extra,
        ...resources(),
      );
      return { run, stderr: () => stderr.mock.calls.map(([text]) => String(text)).join('') };
    }

    it('counts them and prints the first, and still exports the others', async () => {
      const { run, stderr } = await runWithOutput(
        [ok('u1'), failed('u2'), ok('u3')],
        '--export',
        join(dir, 'some.csv'),
      );

      expect(await run).toBe(EXIT_CODES.ok);
      expect(stderr()).toContain(
        '1 of 3 output lines carry an error; the first, line 2: filterValues.GENRES: fills no placeholder of the filter\n',
      );
      expect((await stat(join(dir, 'some.csv'))).isFile()).toBe(true);
    });

    it('prints nothing about errors when there are none', async () => {
      const { run, stderr } = await runWithOutput([ok('u1'), ok('u2')]);

      expect(await run).toBe(EXIT_CODES.ok);
      expect(stderr()).not.toContain('carry an error');
    });

    it('fails as invalid input (exit 2) when every line failed, naming the first error, and exports nothing', async () => {
      const { run } = await runWithOutput([failed('u1'), failed('u2')], '--export', join(dir, 'none.csv'));

      await expect(run).rejects.toThrow(InvalidInputError);
      await expect(run).rejects.toThrow(
        /^input: all 2 output lines carry an error \(output in .*inf\.jsonl\.out\); the first, line 1: filterValues\.GENRES: fills no placeholder of the filter$/,
      );
      await expect(stat(join(dir, 'none.csv'))).rejects.toThrow(/ENOENT/);
    });
  });
});
