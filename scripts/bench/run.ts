/**
 * `npm run bench [-- <name>...] [-- --any-bench-flag]`: runs each `scripts/bench/<name>.bench.ts` in its own
 * process (so peak memory is measured per benchmark) and prints what each reports.
 * Data paths (e.g. MovieLens splits, which must never be committed) are flags each benchmark documents.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-') && all.includes(a));
const passThrough = args.filter((a) => !names.includes(a));
const selected = names.length > 0 ? names : all;

let failed = 0;
for (const name of selected) {
  console.log(`\n=== bench: ${name}`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(here, `${name}.bench.ts`), ...passThrough],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    failed++;
    console.log(`=== bench ${name} FAILED (exit ${result.status})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
