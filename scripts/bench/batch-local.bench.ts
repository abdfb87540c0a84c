/**
 * `npm run bench -- batch-local [--interactions <n>] [--users <n>] [--threads <n>]`
 * Generates a dataset of `--interactions` interactions (default 1M, 50k users; src/datagen), trains the local
 * model on it (untuned blend, to keep the bench short), saves the artifact, then writes Personalize-format
 * batch output for `--users` users (default: all 50k) with 25 items each and prints the wall time, users/s
 * and peak RSS. Target: 50k users in at most 60 s on the 2-core dev machine; exits 1 when missed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLocalBatch } from '../../src/batch/local/local-batch.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { trainLocalRecommender } from '../../src/local/index.ts';

const TARGET_SECONDS = 60;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      interactions: { type: 'string', default: '1000000' },
      users: { type: 'string' },
      threads: { type: 'string' },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'batch-local-bench-'));
  try {
    await generateDataset({ outDir: dir, interactions: Number(values.interactions), seed: 42 });
    const trainStarted = performance.now();
    const recommender = await trainLocalRecommender(
      {
        interactions: join(dir, 'interactions.csv'),
        items: join(dir, 'items.csv'),
        users: join(dir, 'users.csv'),
      },
      { training: { tune: false } },
    );
    const modelPath = join(dir, 'model.bin');
    writeFileSync(modelPath, recommender.hybridModel.serialize());
    const all = recommender.hybridModel.users.ids;
    const userIds = values.users === undefined ? all : all.slice(0, Number(values.users));
    console.log(
      `model: ${values.interactions} interactions, ${all.length} users, trained in ${((performance.now() - trainStarted) / 1000).toFixed(1)} s`,
    );

    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const started = performance.now();
    const summary = await runLocalBatch({
      modelPath,
      userIds,
      numResults: 25,
      output: join(dir, 'out.jsonl'),
      threads: values.threads === undefined ? undefined : Number(values.threads),
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const ok = seconds <= (TARGET_SECONDS * summary.users) / 50_000;
    console.log(
      `batch-local: ${summary.users} users in ${seconds.toFixed(1)} s (${(summary.users / seconds).toFixed(0)} users/s), ` +
        `${(summary.bytes / 1e6).toFixed(0)} MB of output, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
    );
    console.log(
      `target: 50k users in ≤ ${TARGET_SECONDS} s (scaled to the users asked for): ${ok ? 'met' : 'MISSED'}`,
    );
    return ok ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
