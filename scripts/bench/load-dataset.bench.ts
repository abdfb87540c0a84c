/**
 * `npm run bench -- load-dataset [--dir <dir>] [--rows <n>]`
 * Generates a dataset of `--rows` interactions (default 10M) with users and items (src/datagen), or reuses
 * the one in `--dir`, then loads it into the local engine's columnar Dataset (src/local/data) twice: the
 * interactions file alone, and all three files with the repository's schemas. Prints wall time, rows/s and
 * peak RSS (kernel maxRSS). Target: ≥ 1M interaction rows/s. Loading is single-threaded, so the target is
 * checked against CPU time (wall time is printed too): other work on a shared machine must not fail it.
 * Exits 1 when the target is missed.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDataset } from '../../src/datagen/index.ts';
import { loadDataset } from '../../src/local/data/index.ts';
import { loadSchemas } from '../../src/schemas/index.ts';

const TARGET_ROWS_PER_SECOND = 1_000_000;

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return {
    value,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, rows: { type: 'string', default: '10000000' } },
  });
  const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'load-bench-'));
  mkdirSync(dir, { recursive: true });
  try {
    const files = {
      interactions: join(dir, 'interactions.csv'),
      items: join(dir, 'items.csv'),
      users: join(dir, 'users.csv'),
    };
    if (existsSync(files.interactions)) {
      console.log(`reusing ${dir}`);
    } else {
      console.log(`generating ${values.rows} interactions into ${dir} …`);
      await generateDataset({ outDir: dir, interactions: Number(values.rows), seed: 1 });
    }

    const alone = await timed(() => loadDataset({ interactions: files.interactions }));
    const rows = alone.value.interactions.length;
    const rate = rows / alone.cpuSeconds;
    console.log(
      `interactions only: ${rows} rows, ${alone.value.users.ids.length} users, ${alone.value.items.ids.length} items ` +
        `in ${alone.seconds.toFixed(2)} s wall = ${Math.round(rows / alone.seconds).toLocaleString('en')} rows/s; ` +
        `${alone.cpuSeconds.toFixed(2)} s CPU = ${Math.round(rate).toLocaleString('en')} rows/CPU-s`,
    );
    const all = await timed(() => loadDataset({ ...files, schemas: loadSchemas() }));
    const data = all.value;
    console.log(
      `all three files with schemas: ${data.items.ids.length} items × ${data.itemAttributes.columns.length} columns, ` +
        `${data.users.ids.length} users × ${data.userAttributes.columns.length} columns, ` +
        `${data.interactions.context?.length ?? 0} context columns in ${all.seconds.toFixed(2)} s wall, ` +
        `${all.cpuSeconds.toFixed(2)} s CPU`,
    );
    console.log(`peak RSS (maxRSS): ${mib(process.resourceUsage().maxRSS * 1024)}`);
    const pass = rate >= TARGET_ROWS_PER_SECOND;
    console.log(
      `target: ≥ ${TARGET_ROWS_PER_SECOND.toLocaleString('en')} interaction rows per CPU-second — ${pass ? 'PASS' : 'FAIL'}`,
    );
    return pass ? 0 : 1;
  } finally {
    if (values.dir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
