import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';
import { buildProgram } from '../../scripts/cli/program.ts';
import { mockedAwsClients } from '../batch/aws-mocks.ts';

/**
 * The mocked S3 and Personalize clients of a batch-job test file, reset after each test; each test runs with a
 * region set (the commands build their own clients from the environment) and its output silenced.
 */
export function batchJobClients(): ReturnType<typeof mockedAwsClients> {
  const clients = mockedAwsClients();
  beforeEach(() => {
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    clients.s3.reset();
    clients.personalize.reset();
  });
  return clients;
}

/** Runs one command in this process, as `npm run cli -- <args>` would, and returns its outcome. */
export async function cli(...args: string[]): Promise<number> {
  let outcome: Promise<number> | undefined;
  await buildProgram((code) => {
    outcome = code;
  }).parseAsync(args, { from: 'user' });
  return outcome!;
}

/** Flags that resolve every resource of a batch job named `name` without CloudFormation, output in `dir/job`. */
export const jobResources = (dir: string, name: string) => [
  '--solution-version',
  `arn:aws:personalize:us-east-1:1:solution/${name}/v1`,
  '--role-arn',
  'arn:aws:iam::1:role/p',
  '--input-prefix',
  's3://data/batch/input/',
  '--output-prefix',
  's3://data/batch/output/',
  '--output',
  join(dir, 'job'),
  '--job-name',
  name,
  '--quiet',
];
