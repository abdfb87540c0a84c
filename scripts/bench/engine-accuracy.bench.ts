/**
 * `npm run bench -- engine-accuracy [--movielens <dir>] [--splits <a,b>]`: on each MovieLens split under <dir>
 * (default ../shared/bench beside the repository; never committed) fits every registered algorithm alone and
 * the tuned hybrid, and prints NDCG@10 and Recall@20 on test following the protocol of <dir>/README.md, then
 * the hybrid's components with the validation reason for each weight. Two rules per split, exit 1 on a miss:
 * the hybrid reaches 1.05 × the best tuned numpy baseline (`best_ndcg10`), and it is never below its own best
 * single component.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { algorithmsToEvaluate, HYBRID } from '../../src/evaluation/algorithms.ts';
import { evaluate } from '../../src/evaluation/evaluate.ts';
import { formatBlendComponents } from '../../src/evaluation/report-table.ts';
import { readTestInteractions } from '../../src/evaluation/test-file.ts';
import { loadDataset } from '../../src/local/data/load.ts';

const SPLITS = ['ml-100k', 'ml-latest-small', 'ml-100k-notime', 'ml-latest-small-notime'];
/** The hybrid must beat the best tuned numpy baseline by this factor (issue 13). */
const BASELINE_FACTOR = 1.05;

const flags = new Command()
  .option(
    '--movielens <dir>',
    'folder holding the MovieLens benchmark splits',
    fileURLToPath(new URL('../../../shared/bench', import.meta.url)),
  )
  .option('--splits <names>', 'comma-separated splits to run', SPLITS.join(','))
  .parse()
  .opts<{ movielens: string; splits: string }>();

if (!existsSync(flags.movielens)) {
  console.log(`skipped: ${flags.movielens} does not exist (pass --movielens <dir>)`);
  process.exit(0);
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const summary: string[] = [];
let failed = false;
for (const split of flags.splits.split(',')) {
  const dir = join(flags.movielens, split);
  if (!existsSync(join(dir, 'train.csv'))) {
    console.log(`${split}: skipped, no train.csv in ${dir}`);
    continue;
  }
  const baseline = Number(readFileSync(join(dir, 'best_ndcg10'), 'utf8').trim());
  const bar = BASELINE_FACTOR * baseline;
  const train = await loadDataset({
    interactions: join(dir, 'train.csv'),
    items: join(dir, 'items.csv'),
    ...(existsSync(join(dir, 'users.csv')) && { users: join(dir, 'users.csv') }),
  });
  const test = await readTestInteractions(join(dir, 'test.csv'));
  const report = await evaluate({ train, test, algorithms: algorithmsToEvaluate() });
  console.log(
    `\n${split}: ${report.testUsers} test users, best numpy baseline NDCG@10 ${baseline.toFixed(4)}`,
  );
  console.log(
    `${'algorithm'.padEnd(17)} ${'NDCG@10'.padStart(8)} ${'Recall@20'.padStart(9)} ${'fit s'.padStart(7)}`,
  );
  for (const { algo, metrics, fitSeconds } of report.results)
    console.log(
      `${algo.padEnd(17)} ${metrics['ndcg@10']!.toFixed(4).padStart(8)} ${metrics['recall@20']!.toFixed(4).padStart(9)} ${fitSeconds.toFixed(2).padStart(7)}`,
    );
  const ndcg = (algo: string) => report.results.find((r) => r.algo === algo)!.metrics['ndcg@10']!;
  const hybrid = ndcg(HYBRID);
  const [bestAlone] = report.results
    .filter((r) => r.algo !== HYBRID)
    .sort((a, b) => b.metrics['ndcg@10']! - a.metrics['ndcg@10']!);
  const beatsBaseline = hybrid >= bar;
  const neverBelow = hybrid >= bestAlone!.metrics['ndcg@10']!;
  failed ||= !beatsBaseline || !neverBelow;
  const lines = [
    `${split}: hybrid ${hybrid.toFixed(4)} vs ${BASELINE_FACTOR} × baseline ${bar.toFixed(4)} ${verdict(beatsBaseline)}; ` +
      `vs best single component (${bestAlone!.algo}) ${ndcg(bestAlone!.algo).toFixed(4)} ${verdict(neverBelow)}`,
  ];
  console.log(formatBlendComponents(report));
  console.log(lines[0]);
  summary.push(...lines);
}
console.log(`\n${summary.join('\n')}`);
process.exit(failed ? 1 : 0);
