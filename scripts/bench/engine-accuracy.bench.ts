/**
 * `npm run bench -- engine-accuracy [--movielens <dir>]`: fits every registered algorithm and the tuned hybrid
 * on each MovieLens split under <dir> (default ../shared/bench beside the repository; never committed) and prints NDCG@10 and
 * Recall@20 on test, following the protocol of <dir>/README.md. The hybrid must reach the split's bar (the best
 * tuned numpy baseline, `best_ndcg10`); exits 1 when it does not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { algorithmsToEvaluate, HYBRID } from '../../src/evaluation/algorithms.ts';
import { evaluate } from '../../src/evaluation/evaluate.ts';
import { readTestInteractions } from '../../src/evaluation/test-file.ts';
import { loadDataset } from '../../src/local/data/load.ts';

const SPLITS = ['ml-100k', 'ml-latest-small'] as const;

const flags = new Command()
  .option(
    '--movielens <dir>',
    'folder holding the MovieLens benchmark splits',
    fileURLToPath(new URL('../../../shared/bench', import.meta.url)),
  )
  .parse()
  .opts<{ movielens: string }>();

if (!existsSync(flags.movielens)) {
  console.log(`skipped: ${flags.movielens} does not exist (pass --movielens <dir>)`);
  process.exit(0);
}

let failed = false;
for (const split of SPLITS) {
  const dir = join(flags.movielens, split);
  if (!existsSync(join(dir, 'train.csv'))) {
    console.log(`${split}: skipped, no train.csv in ${dir}`);
    continue;
  }
  const bar = Number(readFileSync(join(dir, 'best_ndcg10'), 'utf8').trim());
  const train = await loadDataset({
    interactions: join(dir, 'train.csv'),
    items: join(dir, 'items.csv'),
    ...(existsSync(join(dir, 'users.csv')) && { users: join(dir, 'users.csv') }),
  });
  const test = await readTestInteractions(join(dir, 'test.csv'));
  const report = await evaluate({ train, test, algorithms: algorithmsToEvaluate() });
  console.log(`\n${split}: ${report.testUsers} test users, bar NDCG@10 >= ${bar}`);
  console.log(
    `${'algorithm'.padEnd(12)} ${'NDCG@10'.padStart(8)} ${'Recall@20'.padStart(9)} ${'fit s'.padStart(7)}`,
  );
  for (const { algo, metrics, fitSeconds } of report.results) {
    const ndcg = metrics['ndcg@10']!;
    const verdict = algo === HYBRID ? (ndcg >= bar ? '  PASS' : '  FAIL') : '';
    if (algo === HYBRID && ndcg < bar) failed = true;
    console.log(
      `${algo.padEnd(12)} ${ndcg.toFixed(4).padStart(8)} ${metrics['recall@20']!.toFixed(4).padStart(9)} ${fitSeconds.toFixed(2).padStart(7)}${verdict}`,
    );
  }
}
process.exit(failed ? 1 : 0);
