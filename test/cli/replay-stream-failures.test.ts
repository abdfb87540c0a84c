import { type AddressInfo, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runScript, type ScriptResult } from '../helpers/run-script.ts';

const noEnv = { env: { FEATURE_TABLE_NAME: '', PERSONALIZE_TRACKING_ID: '', AWS_REGION: 'us-east-1' } };

describe('CLI: replay-stream-failures', () => {
  it('is listed in the help', async () => {
    const { code, stdout } = await runScript('cli', '--help', noEnv);
    expect(code).toBe(0);
    expect(stdout).toContain('replay-stream-failures');
  });

  it('exits 2 without the queue, naming the flag', async () => {
    const { code, stderr } = await runScript('cli', 'replay-stream-failures', noEnv);
    expect(code).toBe(2);
    expect(stderr).toContain("required option '--queue-url <url>'");
  });

  it('exits 2 naming the variable when the feature table or the tracker is not given, before any AWS call', async () => {
    const queue = ['replay-stream-failures', '--queue-url', 'https://sqs.us-east-1.amazonaws.com/1/q'];
    const table = await runScript('cli', ...queue, noEnv);
    const tracker = await runScript('cli', ...queue, '--feature-table', 'features', noEnv);
    expect(table.code).toBe(2);
    expect(table.stderr).toContain('FEATURE_TABLE_NAME is required (or --feature-table)');
    expect(tracker.code).toBe(2);
    expect(tracker.stderr).toContain('PERSONALIZE_TRACKING_ID is required (or --tracking-id)');
  });
});

describe('Script: replay-dlq (the events Lambda dead letters)', () => {
  it('exits 2 naming both targets when neither the stream nor a tracker is set', async () => {
    const { code, stderr } = await runScript('replay-dlq', {
      env: {
        EVENTS_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/1/dlq',
        EVENT_STREAM_NAME: '',
        PERSONALIZE_TRACKING_ID: '',
        AWS_REGION: 'us-east-1',
      },
    });
    expect(code).toBe(2);
    expect(stderr).toContain('EVENT_STREAM_NAME or PERSONALIZE_TRACKING_ID is required');
  });
});

describe('A malformed queue URL exits 2 with one line naming the setting, before any AWS call', () => {
  let aws: Server;
  let connections = 0;
  let awsEnv: Record<string, string>;
  beforeAll(async () => {
    // Stands in for every AWS endpoint: the replay must not even connect.
    aws = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => aws.listen(0, '127.0.0.1', resolve));
    const { port } = aws.address() as AddressInfo;
    awsEnv = {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_MAX_ATTEMPTS: '1',
      EVENT_STREAM_NAME: 'events',
      FEATURE_TABLE_NAME: 'features',
      PERSONALIZE_TRACKING_ID: 'tracker',
      DEBUG: '',
    };
  });
  beforeEach(() => {
    connections = 0;
  });
  afterAll(() => new Promise((resolve) => aws.close(resolve)));

  const expectRefused = (result: ScriptResult, message: RegExp) => {
    expect(result.stderr).not.toContain('    at ');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(connections).toBe(0);
  };
  const flagRule = (url: string) =>
    new RegExp(
      `option '--queue-url <url>' argument '${url}' is invalid\\. must be an SQS queue URL, e\\.g\\. https://`,
    );

  it.each(['notaurl', 'ftp://sqs.us-east-1.amazonaws.com/1/q', 'https://sqs.us-east-1.amazonaws.com/'])(
    'replay-dlq with EVENTS_DLQ_URL=%s',
    async (url) => {
      const result = await runScript('replay-dlq', { env: { ...awsEnv, EVENTS_DLQ_URL: url } });
      expectRefused(
        result,
        new RegExp(
          `^replay-dlq: ConfigError: environment variable EVENTS_DLQ_URL must be an SQS queue URL, e\\.g\\. https://\\S+, got "${url}"\n`,
        ),
      );
    },
  );

  it('replay-dlq --queue-url notaurl', async () => {
    const result = await runScript('replay-dlq', '--queue-url', 'notaurl', { env: awsEnv });
    expectRefused(result, flagRule('notaurl'));
  });

  it('cli replay-stream-failures --queue-url notaurl', async () => {
    const result = await runScript('cli', 'replay-stream-failures', '--queue-url', 'notaurl', {
      env: awsEnv,
    });
    expectRefused(result, flagRule('notaurl'));
  });
});
