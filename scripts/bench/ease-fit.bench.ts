/**
 * `npm run bench -- ease-fit [--movielens <dir>] [--split <name>] [--lambda <l>] [--full]`
 * Training speed and accuracy of the EASE scorer (src/local/algorithms/ease.ts) on the MovieLens benchmark
 * splits under <dir> (default ../shared/bench beside the repository; never committed):
 * 1. fits EASE on <split>/train.csv (default ml-latest-small) and, in the same run on the same file, the numpy
 *    reference `python3 <dir>/ease_fit.py`; prints both wall times and the ratio. Target: ours ≤ 1.0× numpy's.
 *    Also prints the exact dense item-space inverse alone on ml-100k (1,682 items), the route large audiences
 *    take, for comparison.
 * 2. prints EASE-alone NDCG@10 on the four splits with the README's tuned lambdas (src/evaluation protocol),
 *    next to the numpy EASE reference; with --full also with every weight kept, to show what cutting B to
 *    the top-N per item costs. Target: within 1% of the reference. The item-transitions scorer is
 *    printed alongside for information.
 * The machine may be shared: wall times are noisy, CPU seconds are printed too. Exits 1 on a missed target.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluate } from '../../src/evaluation/evaluate.ts';
import { readTestInteractions } from '../../src/evaluation/test-file.ts';
import { EaseScorer } from '../../src/local/algorithms/ease.ts';
import { easeInItemSpace, exactDenseSize } from '../../src/local/algorithms/ease-exact.ts';
import { userItemMatrix } from '../../src/local/algorithms/interaction-matrix.ts';
import { ItemTransitionsScorer } from '../../src/local/algorithms/item-transitions.ts';
import { loadDataset } from '../../src/local/data/load.ts';

/** Tuned lambda and test NDCG@10 of the numpy EASE reference (<dir>/README.md). */
const REFERENCE = {
  'ml-100k': { lambda: 300, ndcg: 0.203 },
  'ml-latest-small': { lambda: 200, ndcg: 0.129 },
  'ml-100k-notime': { lambda: 500, ndcg: 0.442 },
  'ml-latest-small-notime': { lambda: 300, ndcg: 0.363 },
} as const;
const MAX_RATIO = 1.0;
const MAX_NDCG_LOSS = 0.01;

const { values } = parseArgs({
  options: {
    movielens: { type: 'string', default: fileURLToPath(new URL('../../../shared/bench', import.meta.url)) },
    split: { type: 'string', default: 'ml-latest-small' },
    lambda: { type: 'string' },
    full: { type: 'boolean', default: false },
  },
});
const root = values.movielens;
if (!existsSync(root)) {
  console.log(`skipped: ${root} does not exist (pass --movielens <dir>)`);
  process.exit(0);
}

function timed<T>(run: () => T): { value: T; seconds: number; cpuSeconds: number } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(cpu);
  return {
    value,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

let failed = false;

// 1. Fit time against numpy on the same file.
const split = values.split;
const lambda = Number(values.lambda ?? REFERENCE[split as keyof typeof REFERENCE]?.lambda ?? 200);
const trainFile = join(root, split, 'train.csv');
const train = await loadDataset({ interactions: trainFile });
const x = userItemMatrix(train);
console.log(
  `${split}: ${x.rows} users × ${x.cols} items, ${x.indices.length} interactions, lambda ${lambda}`,
);
const scorer = new EaseScorer({ lambda });
const denseSize = exactDenseSize(x);
console.log(
  `route: ${denseSize <= scorer.denseLimit ? 'exact' : 'neighbourhood'} (dense inverse of ${denseSize} rows = min(users, items); exact up to denseLimit ${scorer.denseLimit}, the switch-over measured in EaseOptions.denseLimit)`,
);
const ours = timed(() => scorer.fit(train));
console.log(
  `model: ${'form' in scorer.export().header ? 'kept factored in user space (K·x_i per item, no item × item weights)' : 'item × item weights'}`,
);
const python = spawnSync('python3', [join(root, 'ease_fit.py'), trainFile, String(lambda)], {
  encoding: 'utf8',
});
if (python.status !== 0) {
  console.log(`numpy reference failed (exit ${python.status}): ${python.stderr.trim()}`);
  failed = true;
} else {
  const reference = JSON.parse(python.stdout.trim().split('\n').at(-1)!) as { seconds: number; blas: string };
  const ratio = ours.seconds / reference.seconds;
  console.log(
    `fit: ours ${ours.seconds.toFixed(2)} s wall (${ours.cpuSeconds.toFixed(2)} s CPU), numpy (${reference.blas}) ${reference.seconds.toFixed(2)} s, ratio ${ratio.toFixed(2)}× (target ≤ ${MAX_RATIO}×) ${ratio <= MAX_RATIO ? 'PASS' : 'FAIL'}`,
  );
  if (ratio > MAX_RATIO) failed = true;
}
const small = await loadDataset({ interactions: join(root, 'ml-100k', 'train.csv') });
const dense = timed(() => easeInItemSpace(userItemMatrix(small), 300, 300));
console.log(
  `dense item-space route on ml-100k (${small.items.ids.length} items): ${dense.seconds.toFixed(2)} s wall (${dense.cpuSeconds.toFixed(2)} s CPU), for information`,
);

// 2. Accuracy on the four splits.
console.log(
  `\n${'split'.padEnd(24)} ${'EASE'.padStart(7)} ${'full B'.padStart(7)} ${'numpy'.padStart(7)} ${'transitions'.padStart(11)}`,
);
for (const [name, reference] of Object.entries(REFERENCE)) {
  const dir = join(root, name);
  if (!existsSync(join(dir, 'train.csv'))) {
    console.log(`${name}: skipped, no train.csv in ${dir}`);
    continue;
  }
  const data = await loadDataset({ interactions: join(dir, 'train.csv'), items: join(dir, 'items.csv') });
  const test = await readTestInteractions(join(dir, 'test.csv'));
  const fitted = (scorer: EaseScorer | ItemTransitionsScorer) => ({
    name: scorer.name,
    fit: () => {
      scorer.fit(data);
      return scorer;
    },
  });
  const algorithms = [
    fitted(new EaseScorer({ lambda: reference.lambda })),
    fitted(new ItemTransitionsScorer()),
    ...(values.full
      ? [{ ...fitted(new EaseScorer({ lambda: reference.lambda, neighbours: 0 })), name: 'full' }]
      : []),
  ];
  const report = await evaluate({ train: data, test, algorithms });
  const ndcg = (algo: string) => report.results.find((r) => r.algo === algo)?.metrics['ndcg@10'];
  const ease = ndcg('ease')!;
  const full = ndcg('full');
  const pass = ease >= reference.ndcg * (1 - MAX_NDCG_LOSS);
  if (!pass) failed = true;
  console.log(
    `${name.padEnd(24)} ${ease.toFixed(4).padStart(7)} ${(full === undefined ? '-' : full.toFixed(4)).padStart(7)} ${reference.ndcg.toFixed(3).padStart(7)} ${ndcg('item-transitions')!.toFixed(4).padStart(11)}  ${pass ? 'PASS' : 'FAIL'}`,
  );
}
process.exit(failed ? 1 : 0);
