/**
 * `npm run bench -- hybrid-fit [--movielens <dir>] [--split <name>] [--phases]`
 * Training speed of the whole hybrid against a BLAS-backed baseline (issue 13): on <split>/train.csv (default
 * ml-latest-small; <dir> defaults to ../shared/bench beside the repository) it times the hybrid's fit with
 * tuning as users run it, `node dist/evaluate.js --algo hybrid` on the built code (dist/ is rebuilt first,
 * so the figure is of the code in the tree), between two runs of the numpy reference
 * `python3 <dir>/ease_fit.py` on the same file (its fit alone, in seconds it reports itself).
 * Target: ours ≤ 1.0 × the mean of the two numpy runs. `--phases` also trains once in this process and
 * prints where the time went (each progress phase, wall and CPU seconds, CPU counting every thread; this
 * process runs the TypeScript sources, so its helper threads start slower than the built ones). The load
 * average is printed around each figure, since the machine may be shared. Exits 1 on a missed target.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ProgressReporter } from '../../src/core/progress.ts';
import type { EvaluationReport } from '../../src/evaluation/evaluate.ts';
import { loadDataset } from '../../src/local/data/load.ts';
import { trainHybrid } from '../../src/local/model/index.ts';

const MAX_RATIO = 1.0;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const { values } = parseArgs({
  options: {
    movielens: { type: 'string', default: join(ROOT, '../shared/bench') },
    split: { type: 'string', default: 'ml-latest-small' },
    phases: { type: 'boolean', default: false },
  },
});
const dir = join(values.movielens, values.split);
if (!existsSync(join(dir, 'train.csv'))) {
  console.log(`skipped: no ${join(dir, 'train.csv')} (pass --movielens <dir>)`);
  process.exit(0);
}
const files = { train: join(dir, 'train.csv'), test: join(dir, 'test.csv'), items: join(dir, 'items.csv') };
const load = () => loadavg()[0]!.toFixed(1);

function numpyFit(): number | undefined {
  const before = load();
  const run = spawnSync('python3', [join(values.movielens, 'ease_fit.py'), files.train], {
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

/** The built product's hybrid fit, as `npm run evaluate` reports it. */
function builtFit(): number {
  const out = mkdtempSync(join(tmpdir(), 'hybrid-fit-'));
  try {
    const before = load();
    const json = join(out, 'report.json');
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'dist/evaluate.js'),
        ...['--train', files.train, '--test', files.test, '--items', files.items],
        ...['--algo', 'hybrid', '--json', json, '--quiet'],
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const [result] = (JSON.parse(readFileSync(json, 'utf8')) as EvaluationReport).results;
    console.log(
      `hybrid fit with tuning (node dist/evaluate.js): ${result!.fitSeconds.toFixed(2)} s wall, ${result!.fitCpuSeconds?.toFixed(2)} s CPU, load ${before} → ${load()}`,
    );
    const blend = (result!.components ?? []).filter((c) => c.weight > 0);
    console.log(`  blend: ${blend.map((c) => `${c.name} ×${c.weight}`).join(', ')}`);
    return result!.fitSeconds;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
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

execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'ignore' });
const first = numpyFit();
const ours = builtFit();
const second = numpyFit();
if (values.phases) {
  console.log('phases of one fit in this process (TypeScript sources):');
  const data = await loadDataset({ interactions: files.train, items: files.items });
  trainHybrid(data, {}, phaseTimer());
}
if (first === undefined || second === undefined) process.exit(1);
const reference = (first + second) / 2;
const ratio = ours / reference;
const pass = ratio <= MAX_RATIO;
console.log(
  `ratio ${ratio.toFixed(2)}× the mean numpy fit ${reference.toFixed(2)} s (target ≤ ${MAX_RATIO}×) ${pass ? 'PASS' : 'FAIL'}`,
);
process.exit(pass ? 0 : 1);
