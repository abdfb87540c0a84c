import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript, type ScriptResult } from '../helpers/run-script.ts';

/**
 * Every expected mistake a user can make with a command gets one line on stderr naming the problem, no stack,
 * and the exit code of README's table (2 usage or invalid input, 3 not found, 1 other).
 */
function expectOneLine(result: ScriptResult, code: number, message: RegExp): void {
  expect(result.stderr).not.toContain('    at ');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(message);
  expect(result.code).toBe(code);
}

describe('Expected failures: one line, no stack, the documented exit code', () => {
  let dir: string;
  let file: string;
  let jsonl: string;
  let busy: Server;
  let busyPort: number;
  // No AWS setup at all: region and credentials come from nowhere (no files, no instance metadata).
  let noAws: Record<string, string>;
  const env = { DEBUG: '' };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'expected-failures-'));
    file = join(dir, 'existing.txt');
    jsonl = join(dir, 'in.jsonl');
    await writeFile(file, 'x\n');
    await writeFile(jsonl, '{"input":{"userId":"u1"},"output":{"recommendedItems":["i1"],"scores":[0.5]}}\n');
    await mkdir(join(dir, 'folder'));
    await mkdir(join(dir, 'folder.csv'));
    noAws = {
      ...env,
      AWS_REGION: '',
      AWS_DEFAULT_REGION: '',
      AWS_PROFILE: '',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_CONFIG_FILE: join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: '',
    };
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const address = busy.address();
    busyPort = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const missing = () => join(dir, 'absent.csv');
  const folder = () => join(dir, 'folder');

  describe('a missing input file exits 3', () => {
    it.each([
      ['cli export --input', () => ['cli', 'export', '--input', missing(), '--output', join(dir, 'o.csv')]],
      [
        'cli upload-data --interactions',
        () => ['cli', 'upload-data', '--interactions', missing(), '--bucket', 'b'],
      ],
      [
        'cli batch-local --model',
        () => ['cli', 'batch-local', '--model', missing(), '--output', join(dir, 'o.jsonl')],
      ],
      ['validate-data --interactions', () => ['validate-data', '--interactions', missing()]],
      ['evaluate --train', () => ['evaluate', '--train', missing(), '--test', missing()]],
      ['evaluate --split', () => ['evaluate', '--split', missing(), '--out', join(dir, 'split')]],
      ['start --model', () => ['start', '--model', missing()]],
      ['start --data', () => ['start', '--data', join(dir, 'no-such-folder')]],
      [
        'cli events-to-interactions --log',
        () => [
          'cli',
          'events-to-interactions',
          '--log',
          join(dir, 'no-such-folder'),
          '--from',
          '2026-12-01',
          '--to',
          '2026-12-31',
          '--out',
          join(dir, 'ev.csv'),
        ],
      ],
    ])('%s', async (_, args) => {
      const [script = '', ...rest] = args();
      expectOneLine(await runScript(script, ...rest, { env }), 3, /not found|no such file|holds no/);
    });

    it('cli export into a folder that does not exist', async () => {
      const result = await runScript(
        'cli',
        'export',
        '--input',
        jsonl,
        '--output',
        join(dir, 'nope', 'o.csv'),
        {
          env,
        },
      );
      expectOneLine(result, 3, /--output: the folder .*nope does not exist; create it first/);
    });
  });

  // Checked before the work starts: `file` is no model, so loading it would fail with another message.
  describe('an output folder that does not exist exits 3, before the work starts', () => {
    it.each([
      [
        'cli batch-local --output',
        '--output',
        () => ['cli', 'batch-local', '--model', file, '--output', join(dir, 'nope', 'x', 'y.jsonl')],
      ],
      [
        'evaluate --json',
        '--json',
        () => ['evaluate', '--train', file, '--test', file, '--json', join(dir, 'nope', 'x.json')],
      ],
      [
        'cli events-to-interactions --out',
        '--out',
        () => [
          'cli',
          'events-to-interactions',
          '--log',
          folder(),
          '--from',
          '2026-12-01',
          '--to',
          '2026-12-31',
          '--out',
          join(dir, 'nope', 'ev.csv'),
        ],
      ],
      [
        'cli batch-inference --export',
        '--export',
        () => [
          'cli',
          'batch-inference',
          '--recipe',
          'sims',
          '--items',
          file,
          '--output',
          join(dir, 'job'),
          '--export',
          join(dir, 'nope', 'recs.csv'),
        ],
      ],
      [
        'evaluate --report',
        '--report',
        () => ['evaluate', '--train', file, '--test', file, '--report', join(dir, 'nope', 'r.html')],
      ],
    ])('%s', async (_, flag, args) => {
      const [script = '', ...rest] = args();
      expectOneLine(
        await runScript(script, ...rest, { env }),
        3,
        new RegExp(`${flag}: the folder .*nope.* does not exist; create it first`),
      );
    });
  });

  describe('a directory where a file is expected exits 2', () => {
    it.each([
      ['cli export --input', () => ['cli', 'export', '--input', folder(), '--output', join(dir, 'o.csv')]],
      ['cli export --output', () => ['cli', 'export', '--input', jsonl, '--output', join(dir, 'folder.csv')]],
      [
        'cli upload-data --interactions',
        () => ['cli', 'upload-data', '--interactions', folder(), '--bucket', 'b'],
      ],
      [
        'cli batch-local --model',
        () => ['cli', 'batch-local', '--model', folder(), '--output', join(dir, 'o.jsonl')],
      ],
      ['validate-data --interactions', () => ['validate-data', '--interactions', folder()]],
      ['evaluate --train', () => ['evaluate', '--train', folder(), '--test', folder()]],
      ['start --model', () => ['start', '--model', folder()]],
      ['cli batch-local --output', () => ['cli', 'batch-local', '--model', file, '--output', folder()]],
      [
        'cli events-to-interactions --out',
        () => [
          'cli',
          'events-to-interactions',
          '--log',
          folder(),
          '--from',
          '2026-12-01',
          '--to',
          '2026-12-31',
          '--out',
          folder(),
        ],
      ],
    ])('%s', async (_, args) => {
      const [script = '', ...rest] = args();
      expectOneLine(await runScript(script, ...rest, { env }), 2, /is a directory/);
    });
  });

  describe('a file where a folder is expected, or inside a path, exits 2', () => {
    const under = (name: string) => join(file, name);
    it.each([
      ['cli train --data', () => ['cli', 'train', '--data', file, '--out', join(dir, 'm.bin')]],
      ['start --data', () => ['start', '--data', file]],
      [
        'cli batch-local --data',
        () => ['cli', 'batch-local', '--data', file, '--output', join(dir, 'o.jsonl')],
      ],
      [
        'cli events-to-interactions --log',
        () => [
          'cli',
          'events-to-interactions',
          '--log',
          file,
          '--from',
          '2026-12-01',
          '--to',
          '2026-12-31',
          '--out',
          join(dir, 'ev.csv'),
        ],
      ],
      ['generate-data --out', () => ['generate-data', '--out', under('sub'), '--interactions', '100']],
      ['evaluate --out', () => ['evaluate', '--split', file, '--out', under('split')]],
      [
        'cli export --input',
        () => ['cli', 'export', '--input', under('x.jsonl'), '--output', join(dir, 'o.csv')],
      ],
      ['cli export --output', () => ['cli', 'export', '--input', jsonl, '--output', under('a/o.csv')]],
      [
        'cli batch-segment --output',
        () => ['cli', 'batch-segment', '--item-ids', file, '--output', under('job')],
      ],
    ])('%s', async (_, args) => {
      const [script = '', ...rest] = args();
      expectOneLine(await runScript(script, ...rest, { env }), 2, /existing\.txt is not a folder/);
    });
  });

  describe('an output that exists as a file where a folder is expected exits 2', () => {
    it.each([
      ['generate-data --out', () => ['generate-data', '--out', file, '--interactions', '100']],
      ['evaluate --out', () => ['evaluate', '--split', file, '--out', file]],
      ['evaluate --png', () => ['evaluate', '--train', file, '--test', file, '--png', file]],
    ])('%s', async (_, args) => {
      const [script = '', ...rest] = args();
      expectOneLine(await runScript(script, ...rest, { env }), 2, /is an existing file; name a folder/);
    });
  });

  it.each([
    ['cli export', ['cli', 'export', '--input', 'a', '--output', 'b.csv', '--nope']],
    ['cli upload-data', ['cli', 'upload-data', '--nope']],
    ['cli batch-local', ['cli', 'batch-local', '--nope']],
    ['cli batch-inference', ['cli', 'batch-inference', '--nope']],
    ['cli batch-segment', ['cli', 'batch-segment', '--nope']],
    ['cli (no such command)', ['cli', 'no-such-command']],
    ['generate-data', ['generate-data', '--out', 'x', '--interactions', 'many']],
    ['start', ['start', '--port', '70000']],
    ['cli replay-stream-failures', ['cli', 'replay-stream-failures', '--queue-url', 'notaurl']],
    ['replay-dlq', ['replay-dlq', '--max', '0']],
  ])('%s: a bad flag or value exits 2, in the one-line format', async (_, [script = '', ...rest]) => {
    const result = await runScript(script, ...rest, { env });

    const program = script === 'cli' ? 'personalize-toolkit' : script;
    expectOneLine(result, 2, new RegExp(`^${program}: UsageError: (?!error: )\\S`));
  });

  it('cli without a command prints its help, and no failure line', async () => {
    const result = await runScript('cli', { env });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: personalize-toolkit');
    expect(result.stderr).not.toContain('UsageError');
  });

  it.each([
    ['cli batch-local', ['batch-local', '--model', 'm.bin', '--output', 'o.jsonl']],
    ['cli export', ['export', '--input', 'in.jsonl', '--output', 'o.csv']],
  ])('%s --threads 1000: a usage error naming the flag and its limit', async (_, args) => {
    const result = await runScript('cli', ...args, '--threads', '1000', { env });

    expectOneLine(
      result,
      2,
      /^personalize-toolkit: UsageError: option '--threads <n>' argument '1000' is invalid\. must be at most \d+ /,
    );
  });

  it('replay-dlq --help names the environment it reads', async () => {
    const result = await runScript('replay-dlq', '--help', { env });

    expect(result.code).toBe(0);
    for (const variable of ['EVENTS_DLQ_URL', 'EVENT_STREAM_NAME', 'PERSONALIZE_TRACKING_ID', 'AWS_REGION']) {
      expect(result.stdout).toContain(variable);
    }
  });

  it('start on a busy port exits 1, naming the port and the fix', async () => {
    const result = await runScript('start', '--port', String(busyPort), '--state', join(dir, 'state'), {
      env,
    });

    expectOneLine(result, 1, new RegExp(`port ${busyPort} on 127.0.0.1 is already in use: .*--port <n>`));
  });

  it.each(['abc', '70000', '3.5', '0'])('start with PORT=%s exits 2, naming PORT', async (port) => {
    const result = await runScript('start', '--state', join(dir, 'state'), { env: { ...env, PORT: port } });

    expectOneLine(
      result,
      2,
      new RegExp(`PORT: must be an integer from 1 to 65535 \\(got "${port.replace('.', '\\.')}"\\)`),
    );
  });

  it.each([
    ['empty', ''],
    ['cut short', '{"version":1,"resources":[{"id":"0123'],
    ['not a state', '[1, 2]'],
  ])(
    'start on a state file that is %s exits 2 before training, naming the file and the way out',
    async (_, text) => {
      const state = join(dir, `state-${text.length}`);
      await mkdir(state, { recursive: true });
      await writeFile(join(state, 'state.json'), text);

      // A large demo dataset: failing before training keeps this quick.
      const result = await runScript('start', '--state', state, '--interactions', '5000000', { env });

      expectOneLine(
        result,
        2,
        /state\.json: is not (valid JSON|a local Personalize state).*move it aside.*--state/,
      );
    },
  );

  it('an AWS command without a region exits 2, naming AWS_REGION', async () => {
    const result = await runScript(
      'cli',
      'export',
      '--input',
      's3://bucket/key.jsonl',
      '--output',
      join(dir, 'o.csv'),
      {
        env: noAws,
      },
    );

    expectOneLine(result, 2, /ConfigError: environment variable AWS_REGION is required .*AWS_DEFAULT_REGION/);
  });

  // The SDK's 8-line NodeVersionSupportWarning (Node < 22) must not come first; the test setup turns it off
  // for its own process, so the child is given the variable empty, as a user's shell has it.
  it.each([
    [
      'cli export',
      (_endpoint: string) => [
        'cli',
        'export',
        '--input',
        's3://bucket/key.jsonl',
        '--output',
        join(dir, 'o.csv'),
      ],
    ],
    ['replay-dlq', (endpoint: string) => ['replay-dlq', '--queue-url', `${endpoint}/000000000000/dlq`]],
  ])('%s on an unreachable AWS prints one line and exits 1, whatever the Node version', async (_, args) => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    const endpoint = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    const [script = '', ...rest] = args(endpoint);
    const result = await runScript(script, ...rest, {
      env: {
        ...noAws,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL: endpoint,
        AWS_MAX_ATTEMPTS: '1',
        EVENT_STREAM_NAME: 'events',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '',
      },
    });

    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
    expectOneLine(result, 1, /UnavailableError: .*ECONNREFUSED/);
  });

  it('an AWS command without credentials exits 2, naming the variables', async () => {
    const result = await runScript(
      'cli',
      'export',
      '--input',
      's3://bucket/key.jsonl',
      '--output',
      join(dir, 'o.csv'),
      {
        env: { ...noAws, AWS_REGION: 'us-east-1' },
      },
    );

    expectOneLine(result, 2, /ConfigError: environment variable AWS_PROFILE or AWS_ACCESS_KEY_ID/);
  });
});
