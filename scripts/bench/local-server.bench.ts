/**
 * `npm run bench -- local-server [--interactions <n>] [--duration <s>] [--connections <n>]`: starts `npm start`
 * (the local server on generated data) in its own process, then drives `GET /recommendations` (top 25, a
 * different user per request) with autocannon from this process. Target: ≥ 2,000 requests/s, no errors.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Command, InvalidArgumentError } from 'commander';

const TARGET_RPS = 2000;
const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`must be a positive integer, got "${value}"`);
  return n;
};
const flags = new Command()
  .option(
    '--interactions <n>',
    'size of the generated dataset the server trains on (npm start default)',
    positive,
    50_000,
  )
  .option('--duration <s>', 'seconds of load', positive, 15)
  .option('--connections <n>', 'concurrent connections', positive, 20)
  .option('--port <n>', 'port of the server under test', positive, 3917)
  .parse()
  .opts<{ interactions: number; duration: number; connections: number; port: number }>();

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

function startServer(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'scripts/start.ts'),
      '--quiet',
      '--port',
      String(flags.port),
      '--interactions',
      String(flags.interactions),
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, POWERTOOLS_METRICS_DISABLED: 'true' },
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (text.includes('Trained in'))
        process.stdout.write(
          text
            .split('\n')
            .find((l) => l.includes('Trained in'))!
            .concat('\n'),
        );
      if (text.includes('Ctrl-C stops')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`server exited with code ${code} before it listened`)));
  });
}

const server = await startServer();
try {
  const base = `http://127.0.0.1:${flags.port}`;
  // Users u0..u(n-1) exist in generated data; a few unknown ones exercise the cold-start path too.
  const users = Math.max(10, Math.floor(flags.interactions / 20));
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: flags.connections,
    duration: flags.duration,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          const user = next++ % 50 === 0 ? `cold-${next}` : `u${(next * 7919) % users}`;
          return { ...request, path: `/recommendations?userId=${user}&numResults=25` };
        },
      },
    ],
  });
  const rps = result.requests.average;
  const errors = result.errors + result.timeouts + result.non2xx;
  console.log(
    `model: ${flags.interactions} interactions; ${flags.connections} connections for ${flags.duration} s`,
  );
  console.log(
    `requests/s avg ${rps.toFixed(0)} (min ${result.requests.min}), total ${result.requests.total}`,
  );
  console.log(`latency ms p50 ${result.latency.p50} p99 ${result.latency.p99} max ${result.latency.max}`);
  console.log(`errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}`);
  const ok = rps >= TARGET_RPS && errors === 0;
  console.log(`target >= ${TARGET_RPS} requests/s with no errors: ${ok ? 'PASS' : 'FAIL'}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  server.kill('SIGTERM');
}
