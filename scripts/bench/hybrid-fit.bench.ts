/**
 * `npm run bench -- hybrid-fit [--movielens <dir>] [--split <name>] [--helpers <n>]`
 * Training speed of the whole hybrid against a BLAS-backed baseline (issue 13): on <split>/train.csv (default
 * ml-latest-small, items.csv beside it; <dir> defaults to ../shared/bench beside the repository) it times
 * `trainHybrid` with tuning, the way `npm run evaluate` and the CLI train, between two runs of the numpy
 * reference `python3 <dir>/ease_fit.py` on the same file (its fit alone, in seconds it reports itself).
 * Target: ours ≤ 1.0 × the mean of the two numpy runs. Also prints where our time went (each progress
 * phase, wall and CPU seconds: CPU counts every thread of the process) and the load average around each
 * figure, since the machine may be shared. --helpers sets the tuning threads (default: one per core).
 * Exits 1 on a missed target.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ProgressReporter } from '../../src/core/progress.ts';
import { loadDataset } from '../../src/local/data/load.ts';
import { setTuningHelpers } from '../../src/local/model/component-search.ts';
import { trainHybrid } from '../../src/local/model/index.ts';

const MAX_RATIO = 1.0;

const { values } = parseArgs({
  options: {
    movielens: { type: 'string', default: fileURLToPath(new URL('../../../shared/bench', import.meta.url)) },
    split: { type: 'string', default: 'ml-latest-small' },
    helpers: { type: 'string' },
  },
});
const dir = join(values.movielens, values.split);
if (!existsSync(join(dir, 'train.csv'))) {
  console.log(`skipped: no ${join(dir, 'train.csv')} (pass --movielens <dir>)`);
  process.exit(0);
}
if (values.helpers !== undefined) setTuningHelpers(Number(values.helpers));

const load = () => loadavg()[0]!.toFixed(1);

function numpyFit(): number | undefined {
  const before = load();
  const run = spawnSync('python3', [join(values.movielens, 'ease_fit.py'), join(dir, 'train.csv')], {
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    console.log(`numpy reference failed (exit ${run.status}): ${run.stderr.trim()}`);
    return undefined;
  }
  const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { seconds: number; blas: string };
  console.log(`numpy EASE fit (${out.blas}): ${out.seconds.toFixed(2)} s wall, load ${before} → ${load()}`);
  return out.seconds;
}

/** Wall and CPU seconds of each progress phase, printed as it ends. */
function phaseTimer(): ProgressReporter {
  let label = '';
  let wall = 0;
  let cpu = process.cpuUsage();
  return {
    start(next) {
      label = next;
      wall = performance.now();
      cpu = process.cpuUsage();
    },
    update() {},
    stop() {
      const used = process.cpuUsage(cpu);
      console.log(
        `  ${label.padEnd(24)} ${((performance.now() - wall) / 1000).toFixed(2).padStart(7)} s wall ${((used.user + used.system) / 1e6).toFixed(2).padStart(7)} s CPU`,
      );
    },
  };
}

const data = await loadDataset({ interactions: join(dir, 'train.csv'), items: join(dir, 'items.csv') });
console.log(
  `${values.split}: ${data.users.ids.length} users × ${data.items.ids.length} items, ${data.interactions.length} interactions`,
);
const first = numpyFit();
const before = load();
const started = performance.now();
const cpu = process.cpuUsage();
const model = trainHybrid(data, {}, phaseTimer());
const used = process.cpuUsage(cpu);
const ours = (performance.now() - started) / 1000;
console.log(
  `hybrid fit with tuning: ${ours.toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU, load ${before} → ${load()}`,
);
const blend = (model as unknown as { parts: { blend: { choice: { name: string; weight: number } }[] } }).parts
  .blend;
console.log(`  blend: ${blend.map((p) => `${p.choice.name} ×${p.choice.weight}`).join(', ')}`);
const second = numpyFit();
if (first === undefined || second === undefined) process.exit(1);
const reference = (first + second) / 2;
const ratio = ours / reference;
const pass = ratio <= MAX_RATIO;
console.log(
  `ratio ${ratio.toFixed(2)}× the mean numpy fit ${reference.toFixed(2)} s (target ≤ ${MAX_RATIO}×) ${pass ? 'PASS' : 'FAIL'}`,
);
process.exit(pass ? 0 : 1);
