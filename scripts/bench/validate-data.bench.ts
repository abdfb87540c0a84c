/**
 * `npm run bench -- validate-data [--dir <dir>] [--rows <n>]`
 * Generates an interactions file of `--rows` rows (default 10M) with users and items (src/datagen), then
 * validates it and its first 1M rows, each in its own process, and prints wall time, rows/s and peak RSS
 * (process.memoryUsage().rss sampled every 20 ms, and the kernel's maxRSS). Memory must not grow with the
 * file: the fixed duplicate-check table and the per-user counts are all that is kept.
 * Target: 10M rows in at most 30 s on the 2-core dev machine. Exits 1 when the target is missed or the
 * generated data has validation errors.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { validateDatasets } from '../../src/data-validation/index.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { loadSchemas } from '../../src/schemas/index.ts';

const TARGET_SECONDS = 30;
const SMALL_ROWS = 1_000_000;

interface Measurement {
  readonly rows: number;
  readonly seconds: number;
  readonly peakRssBytes: number;
  readonly maxRssBytes: number;
  readonly errors: number;
  readonly warnings: number;
  readonly failedRules: readonly string[];
}

/** Child mode: validate one dataset folder and print a Measurement as JSON. */
async function measure(dir: string, interactions: string): Promise<void> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const report = await validateDatasets({
    interactions,
    users: join(dir, 'users.csv'),
    items: join(dir, 'items.csv'),
    schemas: loadSchemas(),
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const result: Measurement = {
    rows: report.interactions?.rows ?? 0,
    seconds,
    peakRssBytes: peak,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    errors: report.counts.error,
    warnings: report.counts.warning,
    failedRules: report.rules
      .filter((r) => r.severity !== 'info')
      .map((r) => `${r.rule} (${r.severity}) ×${r.count}`),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(dir: string, interactions: string): Measurement {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', dir, '--file', interactions],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out) as Measurement;
}

/** Copies the header and the first `rows` data rows of a CSV (no quoted newlines in interactions). */
async function head(from: string, to: string, rows: number): Promise<void> {
  const out = createWriteStream(to);
  let n = -1;
  for await (const line of createInterface({ input: createReadStream(from), crlfDelay: Infinity })) {
    if (n++ >= rows) break;
    if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function print(label: string, m: Measurement): void {
  console.log(
    `${label}: ${m.rows} rows in ${m.seconds.toFixed(1)} s = ${Math.round(m.rows / m.seconds).toLocaleString('en')} rows/s; ` +
      `peak RSS ${mib(m.peakRssBytes)} (sampled), ${mib(m.maxRssBytes)} (maxRSS); ${m.errors} errors, ${m.warnings} warnings`,
  );
  for (const rule of m.failedRules) console.log(`  ${rule}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      rows: { type: 'string', default: '10000000' },
      measure: { type: 'string' },
      file: { type: 'string' },
    },
  });
  if (values.measure !== undefined) {
    await measure(values.measure, values.file!);
    return 0;
  }
  const rows = Number(values.rows);
  const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'validate-bench-'));
  mkdirSync(dir, { recursive: true });
  try {
    const interactions = join(dir, 'interactions.csv');
    if (existsSync(interactions)) {
      console.log(`reusing ${dir}`);
    } else {
      console.log(`generating ${rows} interactions into ${dir} …`);
      const started = performance.now();
      await generateDataset({ outDir: dir, interactions: rows, seed: 1 });
      console.log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const small = join(dir, 'interactions-1m.csv');
    await head(interactions, small, Math.min(SMALL_ROWS, rows));

    const smallRun = runChild(dir, small);
    print('1M  ', smallRun);
    const fullRun = runChild(dir, interactions);
    print('full', fullRun);
    const growth = fullRun.peakRssBytes / smallRun.peakRssBytes;
    console.log(
      `peak RSS full / 1M: ${growth.toFixed(2)}× for ${(fullRun.rows / smallRun.rows).toFixed(0)}× the rows`,
    );
    console.log(
      `target: ≤${TARGET_SECONDS} s for 10M rows (scaled: ≤${((TARGET_SECONDS * rows) / 1e7).toFixed(1)} s here)`,
    );
    const fast = fullRun.seconds <= (TARGET_SECONDS * rows) / 1e7;
    const clean = fullRun.errors === 0 && smallRun.errors === 0;
    console.log(
      fast && clean
        ? 'PASS'
        : `FAIL${fast ? '' : ' (too slow)'}${clean ? '' : ' (generated data has errors)'}`,
    );
    return fast && clean ? 0 : 1;
  } finally {
    if (values.dir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
