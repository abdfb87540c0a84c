import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debugRequested, exitCodeOf } from '../../src/cli/exit-codes.ts';
import {
  AccessDeniedError,
  ConfigError,
  InvalidInputError,
  JobFailedError,
  LimitExceededError,
  ModelFitError,
  ResourceInUseError,
  ResourceNotFoundError,
  ThrottledError,
  UnavailableError,
} from '../../src/errors.ts';
import { runScript } from '../helpers/run-script.ts';

// Literal numbers on purpose: these codes are a public contract (README "Exit codes"), not whatever the
// constants happen to say.
describe('Function: exitCodeOf', () => {
  it.each([
    ['help or version', 0, new CommanderError(0, 'commander.helpDisplayed', '')],
    ['an untyped error', 1, new Error('bug')],
    ['an outage', 1, new UnavailableError('down')],
    ['a busy resource', 1, new ResourceInUseError('busy')],
    ['a usage error', 2, new CommanderError(1, 'commander.unknownOption', 'unknown option')],
    ['invalid input', 2, new InvalidInputError('bad')],
    ['a bad environment variable', 2, new ConfigError('EVENTS_DLQ_URL', 'is required')],
    ['data too thin to train on', 2, new ModelFitError('too few users')],
    ['a missing resource', 3, new ResourceNotFoundError('no stack')],
    ['a missing file', 3, Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' })],
    ['a file where a folder is expected', 2, Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR' })],
    ['a directory where a file is expected', 2, Object.assign(new Error('EISDIR'), { code: 'EISDIR' })],
    ['access denied', 4, new AccessDeniedError('denied')],
    ['a file it may not read', 4, Object.assign(new Error('EACCES'), { code: 'EACCES' })],
    ['a failed job', 5, new JobFailedError('CREATE FAILED', 'bad input')],
    ['throttling', 6, new ThrottledError('slow down')],
    ['a service quota', 6, new LimitExceededError('5 jobs running')],
  ])('%s → %i', (_, code, error) => {
    expect(exitCodeOf(error)).toBe(code);
  });

  it('debugs on --debug or DEBUG=1 only', () => {
    expect(debugRequested(['node', 'x', '--debug'], {})).toBe(true);
    expect(debugRequested(['node', 'x'], { DEBUG: '1' })).toBe(true);
    expect(debugRequested(['node', 'x'], { DEBUG: '' })).toBe(false);
  });
});

describe('Every command and script exits by the same table', () => {
  let dir: string;
  let invalid: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exit-codes-'));
    invalid = join(dir, 'few.csv');
    await writeFile(
      invalid,
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE\nu1,i1,1700000000,click,,\n',
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const noEnv = { env: { EVENTS_DLQ_URL: '', PERSONALIZE_TRACKING_ID: '', DEBUG: '' } };

  it.each([
    ['validate-data', ['--bogus']],
    ['evaluate', ['--bogus']],
    ['generate-data', ['--out', 'x', '--interactions', '10', '--bogus']],
    ['replay-dlq', ['--bogus']],
    ['start', ['--bogus']],
    ['cli', ['export', '--input', 'in.jsonl', '--output', 'out.csv', '--bogus']],
  ])('%s: an unknown flag exits 2', async (script, args) => {
    const { code, stderr } = await runScript(script, ...args, noEnv);

    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--bogus'");
  });

  it('validate-data and upload-data: invalid data exits 2, before any AWS call', async () => {
    const validate = await runScript('validate-data', '--interactions', invalid, noEnv);
    const upload = await runScript('cli', 'upload-data', '--interactions', invalid, '--bucket', 'b', noEnv);

    expect(validate.code).toBe(2);
    expect(validate.stderr).toBe(
      'validate-data: InvalidInputError: the data has 3 error(s): see the report on stdout\n',
    );
    expect(upload.code).toBe(2);
    expect(upload.stderr).toMatch(/^personalize-toolkit: InvalidInputError: the data has 3 error\(s\)/);
  });

  it('a missing file exits 3 in every script that reads one', async () => {
    const missing = join(dir, 'absent.csv');
    const runs = await Promise.all([
      runScript('validate-data', '--interactions', missing, noEnv),
      runScript('evaluate', '--train', missing, '--test', invalid, noEnv),
      runScript('cli', 'export', '--input', missing, '--output', join(dir, 'out.csv'), noEnv),
    ]);

    expect(runs.map((r) => r.code)).toEqual([3, 3, 3]);
    expect(runs[1]?.stderr).toBe(
      `evaluate: ResourceNotFoundError: --train: no such file or directory: ${missing}\n`,
    );
  });

  it('a missing environment variable exits 2, naming it', async () => {
    const { code, stderr } = await runScript('replay-dlq', noEnv);

    expect(code).toBe(2);
    expect(stderr).toBe('replay-dlq: ConfigError: environment variable EVENTS_DLQ_URL is required\n');
  });

  it('prints one line without a stack, and the stack with --debug or DEBUG=1', async () => {
    const args = ['--train', join(dir, 'absent.csv'), '--test', invalid];

    const plain = await runScript('evaluate', ...args, noEnv);
    const flag = await runScript('evaluate', ...args, '--debug', noEnv);
    const env = await runScript('evaluate', ...args, { env: { DEBUG: '1' } });

    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    for (const debug of [flag, env]) {
      expect(debug.code).toBe(3);
      expect(debug.stderr).toMatch(/\n {4}at .*scripts\/evaluate\.ts/);
    }
  });
});
