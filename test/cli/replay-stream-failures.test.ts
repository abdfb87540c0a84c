import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/run-script.ts';

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
