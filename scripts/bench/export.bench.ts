/**
 * `npm run bench -- export [--lines <n>] [--threads <n>]`
 * Writes synthetic Personalize batch output (user-personalization, 25 items with scores per line, one line
 * in 1000 with a job error) of `--lines` lines (default 200k, ~115 MB) and a quarter of that, then exports
 * each to CSV and to Parquet in its own process and prints MB/s of JSON-lines input, CPU time and peak RSS.
 * Targets: ≥ 50 MB/s on the large input for both formats, and peak RSS on the large input at most 1.5× the
 * small one plus 64 MB (memory must not grow with the input). Exits 1 when a target is missed.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exportBatchOutput, formatOf, openLocalInput } from '../../src/batch/export/export.ts';

const TARGET_MB_PER_S = 50;
const ITEMS_PER_LINE = 25;

interface Measurement {
  readonly mbPerSecond: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly rows: number;
  readonly rejected: number;
}

/** Child mode: export one file and print a Measurement as JSON. */
async function measure(input: string, output: string, threads: number | undefined): Promise<void> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const summary = await exportBatchOutput({
    input: openLocalInput(input),
    inputName: input,
    output,
    format: formatOf(output),
    errorsOutput: `${output}.errors.jsonl`,
    threads,
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const used = process.cpuUsage(cpu);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  const result: Measurement = {
    mbPerSecond: statSync(input).size / 1e6 / seconds,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMb: peak / 2 ** 20,
    rows: summary.rows,
    rejected: summary.rejected,
  };
  process.stdout.write(JSON.stringify(result));
}

/** Deterministic synthetic output lines (an LCG: the same file on every run). */
async function writeInput(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path);
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  for (let u = 0; u < lines; u++) {
    let text: string;
    if (u % 1000 === 999) {
      text = JSON.stringify({ input: { userId: `user-${u}` }, output: null, error: 'User not found' });
    } else {
      const ids: string[] = [];
      const scores: number[] = [];
      let score = 0.05;
      for (let i = 0; i < ITEMS_PER_LINE; i++) {
        ids.push(String(Math.floor(next() * 50_000)));
        score *= 0.9 + next() * 0.09;
        scores.push(Number(score.toPrecision(7)));
      }
      text = JSON.stringify({
        input: { userId: `user-${u}` },
        output: { recommendedItems: ids, scores },
        error: null,
      });
    }
    if (!out.write(`${text}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string', default: '200000' },
      threads: { type: 'string' },
      child: { type: 'string' },
      output: { type: 'string' },
    },
  });
  if (values.child) {
    await measure(
      values.child,
      values.output!,
      values.threads === undefined ? undefined : Number(values.threads),
    );
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'export-bench-'));
  try {
    const large = Number(values.lines);
    const sizes = [Math.round(large / 4), large];
    let failed = false;
    const rss: Record<string, number[]> = {};
    for (const lines of sizes) {
      const input = join(dir, `${lines}.jsonl`);
      await writeInput(input, lines);
      const mb = statSync(input).size / 1e6;
      for (const format of ['csv', 'parquet'] as const) {
        const args = [
          '--import',
          'tsx',
          fileURLToPath(import.meta.url),
          '--child',
          input,
          '--output',
          join(dir, `out.${format}`),
        ];
        if (values.threads !== undefined) args.push('--threads', values.threads);
        const m = JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' })) as Measurement;
        (rss[format] ??= []).push(m.peakRssMb);
        const fast = lines !== large || m.mbPerSecond >= TARGET_MB_PER_S;
        failed ||= !fast;
        console.log(
          `${format.padEnd(7)} ${lines} lines (${mb.toFixed(0)} MB): ${m.mbPerSecond.toFixed(1)} MB/s, ` +
            `${m.seconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} s CPU, peak RSS ${m.peakRssMb.toFixed(0)} MB, ` +
            `${m.rows} rows, ${m.rejected} set aside${lines === large ? (fast ? '' : `  ← below ${TARGET_MB_PER_S} MB/s`) : ''}`,
        );
      }
    }
    for (const [format, [small, big]] of Object.entries(rss)) {
      const bounded = big! <= small! * 1.5 + 64;
      failed ||= !bounded;
      console.log(
        `${format} memory: ${small!.toFixed(0)} MB → ${big!.toFixed(0)} MB for 4× the input: ${bounded ? 'bounded' : 'GROWS'}`,
      );
    }
    console.log(`target: ≥ ${TARGET_MB_PER_S} MB/s (CSV and Parquet), memory not growing with the input`);
    return failed ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
