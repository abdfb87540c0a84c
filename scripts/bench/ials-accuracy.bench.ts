/**
 * `npm run bench -- ials-accuracy [--movielens <dir>] [--threads <n>]`: fits the iALS scorer alone with the
 * numpy reference's settings (64 factors, 15 iterations of 3 CG steps, alpha/regularization per split, see
 * <dir>/README.md) on each MovieLens split under <dir> (default ../shared/bench beside the repository; never
 * committed) and evaluates it with the project's evaluator. Exits 1 when NDCG@10 falls below 0.97 × the
 * reference's on a split. `fit s` is wall-clock (it includes starting helper threads once per process);
 * `cpu s` is the fit's CPU time over all threads, the fairer figure on a shared machine.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { evaluate } from '../../src/evaluation/evaluate.ts';
import { readTestInteractions } from '../../src/evaluation/test-file.ts';
import { IalsScorer } from '../../src/local/algorithms/ials.ts';
import { loadDataset } from '../../src/local/data/load.ts';

/** The numpy iALS reference: its tuned settings and test NDCG@10 per split. */
const REFERENCE = [
  { split: 'ml-100k', alpha: 0.5, regularization: 10, ndcg: 0.199 },
  { split: 'ml-latest-small', alpha: 0.1, regularization: 10, ndcg: 0.125 },
  { split: 'ml-100k-notime', alpha: 2, regularization: 30, ndcg: 0.448 },
  { split: 'ml-latest-small-notime', alpha: 2, regularization: 30, ndcg: 0.344 },
] as const;
const TOLERANCE = 0.97;

const flags = new Command()
  .option(
    '--movielens <dir>',
    'folder holding the MovieLens benchmark splits',
    fileURLToPath(new URL('../../../shared/bench', import.meta.url)),
  )
  .option('--threads <n>', 'fit threads (default: chosen by data size)')
  .parse()
  .opts<{ movielens: string; threads?: string }>();

if (!existsSync(flags.movielens)) {
  console.log(`skipped: ${flags.movielens} does not exist (pass --movielens <dir>)`);
  process.exit(0);
}
const threads = flags.threads === undefined ? undefined : Number(flags.threads);

let failed = false;
console.log(
  `${'split'.padEnd(24)} ${'NDCG@10'.padStart(8)} ${'target'.padStart(7)} ${'Recall@20'.padStart(9)} ${'fit s'.padStart(6)} ${'cpu s'.padStart(6)}`,
);
for (const { split, alpha, regularization, ndcg: reference } of REFERENCE) {
  const dir = join(flags.movielens, split);
  if (!existsSync(join(dir, 'train.csv'))) {
    console.log(`${split}: skipped, no train.csv in ${dir}`);
    continue;
  }
  const train = await loadDataset({ interactions: join(dir, 'train.csv') });
  const test = await readTestInteractions(join(dir, 'test.csv'));
  let cpuSeconds = 0;
  const options = { factors: 64, iterations: 15, cgSteps: 3, alpha, regularization, seed: 0 };
  const report = await evaluate({
    train,
    test,
    algorithms: [
      {
        name: 'ials',
        fit(data) {
          const scorer = new IalsScorer(threads === undefined ? options : { ...options, threads });
          const before = process.cpuUsage();
          scorer.fit(data);
          const { user, system } = process.cpuUsage(before);
          cpuSeconds = (user + system) / 1e6;
          return scorer;
        },
      },
    ],
  });
  const { metrics, fitSeconds } = report.results[0]!;
  const ndcg = metrics['ndcg@10']!;
  const target = TOLERANCE * reference;
  if (ndcg < target) failed = true;
  console.log(
    `${split.padEnd(24)} ${ndcg.toFixed(4).padStart(8)} ${target.toFixed(4).padStart(7)} ${metrics['recall@20']!.toFixed(4).padStart(9)} ${fitSeconds.toFixed(2).padStart(6)} ${cpuSeconds.toFixed(2).padStart(6)}  ${ndcg >= target ? 'PASS' : 'FAIL'}`,
  );
}
process.exit(failed ? 1 : 0);
