/**
 * `npm run bench -- cli-start`
 * Whole-process time of the built CLI, `node dist/cli.js --help`, side by side with `node -e 0` (what any
 * Node process costs on this machine) and `node dist/start.js --help`. Each command runs 15 times,
 * alternating, and the median counts. Target: the CLI's help in ≤ 300 ms. Builds dist/ first when missing.
 * Exits 1 on a miss. Noisy on a shared machine: the median of alternating runs damps that.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const TARGET_MS = 300;
const RUNS = 15;
const ROOT = join(import.meta.dirname, '../..');

const commands: Record<string, readonly string[]> = {
  'node -e 0': ['-e', '0'],
  'node dist/cli.js --help': [join(ROOT, 'dist/cli.js'), '--help'],
  'node dist/start.js --help': [join(ROOT, 'dist/start.js'), '--help'],
};

function timeOnce(args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT });
const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (let run = 0; run < RUNS; run++) {
  for (const [name, args] of Object.entries(commands)) times[name]?.push(timeOnce(args));
}
for (const [name, values] of Object.entries(times)) {
  console.log(
    `${name.padEnd(28)} median ${median(values).toFixed(0).padStart(5)} ms  (min ${Math.min(...values).toFixed(0)})`,
  );
}
const cli = median(times['node dist/cli.js --help'] ?? []);
const ok = cli <= TARGET_MS;
console.log(`cli --help: ${cli.toFixed(0)} ms vs target ≤ ${TARGET_MS} ms: ${ok ? 'ok' : 'MISSED'}`);
process.exit(ok ? 0 : 1);
