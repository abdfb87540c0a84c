import { join } from 'node:path';
import { buildProgram } from '../../scripts/cli/program.ts';

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
