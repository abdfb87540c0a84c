/**
 * `npm run bench -- handler-overhead`: what the recommend handler adds to the engine. The same requests go to
 * a trained LocalRecommender directly and through `createRecommendHandler` (API Gateway event in, JSON reply
 * out: routing, query parsing, validation, formatting, a Powertools log line and EMF metrics, whose output is
 * serialised but not written). Target: p99(handler) − p99(engine) ≤ 1 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createRecommendHandler } from '../../lambdas/recommend/handler.ts';
import { readIdColumn } from '../../src/batch/jobs/id-column.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { MemoryFeatureStore } from '../../src/features/memory-feature-store.ts';
import { trainLocalRecommender } from '../../src/local/index.ts';
import { toApiGatewayEvent } from '../../src/local-server/api-gateway-event.ts';

const TARGET_MS = 1;
const WARMUP = 2000;
const RUNS = 20_000;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

// Powertools writes through the global console in dev mode; the lines are still built, just not printed.
process.env.POWERTOOLS_DEV = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
let written = 0;
const sink = (...args: unknown[]) => {
  written += String(args[0]).length;
};

const dir = mkdtempSync(join(tmpdir(), 'handler-overhead-'));
try {
  const { files } = await generateDataset({
    outDir: dir,
    interactions: 20_000,
    users: 1000,
    items: 500,
    seed: 7,
  });
  const engine = await trainLocalRecommender(files);
  const logger = new Logger({ serviceName: 'bench' });
  const metrics = new Metrics({ namespace: 'Bench', serviceName: 'bench' });
  const handler = createRecommendHandler({
    recommender: engine,
    popular: engine,
    features: new MemoryFeatureStore(),
    logger,
    metrics,
  });
  const userIds = (await readIdColumn(files.users, 'USER_ID')).slice(0, 200);
  const events = userIds.map((userId) =>
    toApiGatewayEvent({
      method: 'GET',
      url: `/recommendations?userId=${encodeURIComponent(userId)}&numResults=25`,
      headers: {},
      body: '',
      sourceIp: '127.0.0.1',
    }),
  );
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  Object.assign(console, { log: sink, info: sink, warn: sink, error: sink });
  const direct: number[] = [];
  const wrapped: number[] = [];
  try {
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const k = i % userIds.length;
      let t = performance.now();
      await engine.getRecommendations({ userId: userIds[k] as string, numResults: 25 });
      const engineMs = performance.now() - t;
      t = performance.now();
      const reply = await handler(events[k] as (typeof events)[number]);
      const handlerMs = performance.now() - t;
      if (reply.statusCode !== 200) throw new Error(`handler answered ${reply.statusCode}: ${reply.body}`);
      if (i >= WARMUP) {
        direct.push(engineMs);
        wrapped.push(handlerMs);
      }
    }
  } finally {
    Object.assign(console, saved);
  }
  direct.sort((a, b) => a - b);
  wrapped.sort((a, b) => a - b);
  const overhead = percentile(wrapped, 99) - percentile(direct, 99);
  const fmt = (n: number) => `${n.toFixed(3)} ms`;
  console.log(`engine  p50 ${fmt(percentile(direct, 50))}  p99 ${fmt(percentile(direct, 99))}`);
  console.log(`handler p50 ${fmt(percentile(wrapped, 50))}  p99 ${fmt(percentile(wrapped, 99))}`);
  console.log(
    `overhead p50 ${fmt(percentile(wrapped, 50) - percentile(direct, 50))}  p99 ${fmt(overhead)} over ${RUNS} requests (target ≤ ${TARGET_MS} ms); ${(written / RUNS).toFixed(0)} log/metric bytes per request`,
  );
  const ok = overhead <= TARGET_MS;
  console.log(ok ? 'PASS' : 'FAIL');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
