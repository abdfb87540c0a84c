/**
 * `npm run evaluate -- --train <csv> --test <csv> [--items <csv>] [--users <csv>] [--schemas <dir>]
 *   [--algo <name>] [--k 10] [--json <file>] [--report <html>] [--png <dir>] [--quiet]` fits each registered
 * algorithm and the hybrid on train and prints ranking metrics on test (`--report` also writes the HTML
 * report with its charts, `--png` each chart as a PNG); `npm run evaluate -- --split <interactions.csv> --out <dir>` writes the
 * chronological train.csv / test.csv split first. See src/evaluation/ for the protocol.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { cliProgram, DEBUG_FLAG, EXIT_CODES, runCli } from '../src/cli/exit-codes.ts';
import { requireInputFiles, requireOutputFile, requireOutputFolder } from '../src/cli/paths.ts';
import { createProgress } from '../src/cli/progress.ts';
import { InvalidInputError } from '../src/errors.ts';
import { algorithmsToEvaluate } from '../src/evaluation/algorithms.ts';
import { summarizeDataset } from '../src/evaluation/dataset-summary.ts';
import { type EvaluationReport, evaluate } from '../src/evaluation/evaluate.ts';
import { buildReport, chartPng } from '../src/evaluation/report/index.ts';
import { formatBlendComponents, formatReportTable } from '../src/evaluation/report-table.ts';
import { splitInteractionsFile } from '../src/evaluation/split-file.ts';
import { readTestInteractions } from '../src/evaluation/test-file.ts';
import { loadDataset, type PartialSchemas } from '../src/local/data/load.ts';
import { loadSchema } from '../src/schemas/load.ts';
import type { DatasetType } from '../src/schemas/types.ts';

interface Flags {
  readonly train?: string;
  readonly test?: string;
  readonly items?: string;
  readonly users?: string;
  readonly schemas?: string;
  readonly algo?: string;
  readonly k: number;
  readonly json?: string;
  readonly report?: string;
  readonly png?: string;
  readonly split?: string;
  readonly out?: string;
  readonly quiet?: boolean;
}

/** Depth of the report's precision/recall/NDCG curves. */
const CURVE_DEPTH = 50;

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`must be a positive integer, got "${value}"`);
  return n;
}

async function runSplit(input: string, outDir: string): Promise<void> {
  requireInputFiles({ '--split': input });
  requireOutputFolder('--out', outDir);
  const summary = await splitInteractionsFile(input, outDir);
  for (const warning of summary.warnings) process.stderr.write(`warning: ${warning}\n`);
  console.log(
    `wrote ${summary.trainPath} (${summary.trainRows} rows) and ${summary.testPath} (${summary.testRows} rows, ` +
      `${summary.testUsers} users); dropped ${summary.droppedTestRows} held-out rows whose item is not in train`,
  );
}

/** The schemas of the datasets given, read from `<dir>/<type>.json`. */
function schemasFor(dir: string, flags: Flags): PartialSchemas {
  const types: DatasetType[] = ['interactions'];
  if (flags.items) types.push('items');
  if (flags.users) types.push('users');
  return Object.fromEntries(
    types.map((type) => {
      requireInputFiles({ '--schemas': `${dir}/${type}.json` });
      return [type, loadSchema(type, dir)];
    }),
  );
}

async function runEvaluate(flags: Flags & { train: string; test: string }): Promise<void> {
  requireInputFiles({
    '--train': flags.train,
    '--test': flags.test,
    '--items': flags.items,
    '--users': flags.users,
  });
  // The outputs are written after the whole evaluation: a mistyped path must fail now, not minutes later.
  if (flags.json !== undefined) requireOutputFile('--json', flags.json);
  if (flags.report !== undefined) requireOutputFile('--report', flags.report);
  if (flags.png !== undefined) requireOutputFolder('--png', flags.png);
  const algorithms = algorithmsToEvaluate(flags.algo);
  const schemas = flags.schemas === undefined ? undefined : schemasFor(flags.schemas, flags);
  const progress = createProgress({ quiet: flags.quiet });
  const train = await loadDataset(
    { interactions: flags.train, items: flags.items, users: flags.users, schemas },
    progress,
  );
  const test = await readTestInteractions(flags.test);
  const charted = flags.report !== undefined || flags.png !== undefined;
  const report = await evaluate({
    train,
    test,
    algorithms,
    k: flags.k,
    progress,
    ...(charted && { curveDepth: CURVE_DEPTH }),
  });
  console.log(`${report.testUsers} test users, k = ${report.k}`);
  console.log(formatReportTable(report));
  const components = formatBlendComponents(report);
  if (components) console.log(components);
  if (flags.json) await writeFile(flags.json, `${JSON.stringify(report, null, 2)}\n`);
  if (charted) await writeCharts(flags, report, summarizeDataset(train));
}

async function writeCharts(
  flags: Flags & { train: string; test: string },
  evaluation: EvaluationReport,
  dataset: ReturnType<typeof summarizeDataset>,
): Promise<void> {
  const { html, charts } = await buildReport({
    title: 'Recommender evaluation report',
    generatedAt: new Date().toISOString(),
    inputs: {
      train: flags.train,
      test: flags.test,
      ...(flags.items && { items: flags.items }),
      ...(flags.users && { users: flags.users }),
    },
    dataset,
    evaluation,
  });
  if (flags.report !== undefined) {
    await writeFile(flags.report, html);
    console.log(`wrote ${flags.report} (${charts.length} charts)`);
  }
  if (flags.png !== undefined) {
    await mkdir(flags.png, { recursive: true });
    for (const chart of charts) await writeFile(join(flags.png, `${chart.id}.png`), chartPng(chart.svg));
    console.log(`wrote ${charts.length} PNG charts to ${flags.png}`);
  }
}

const program = cliProgram('evaluate')
  .description('offline evaluation of the local recommender (and the chronological split it is measured on)')
  .option('--train <csv>', 'training interactions (USER_ID, ITEM_ID, TIMESTAMP, ...)')
  .option('--test <csv>', 'held-out interactions (USER_ID, ITEM_ID), used as given')
  .option('--items <csv>', 'items metadata, any columns')
  .option('--users <csv>', 'users metadata, any columns')
  .option('--schemas <dir>', 'directory of Personalize Avro schemas for the CSVs')
  .option('--algo <name>', 'evaluate only this algorithm (a registered name or "hybrid")')
  .option('--k <n>', 'cut-off of the @k metrics', positiveInteger, 10)
  .option('--json <file>', 'also write the results as JSON')
  .option('--report <html>', 'also write a self-contained HTML report with charts')
  .option('--png <dir>', 'also write each chart of the report as <dir>/<chart>.png')
  .option('--split <csv>', 'instead of evaluating, split this interactions file chronologically')
  .option('--out <dir>', 'where --split writes train.csv and test.csv')
  .option('--quiet', 'no progress bar')
  .option(...DEBUG_FLAG)
  .action(async (flags: Flags) => {
    if (flags.split !== undefined || flags.out !== undefined) {
      if (flags.split === undefined || flags.out === undefined)
        throw new InvalidInputError([{ field: '--split/--out', message: 'must be given together' }]);
      if (flags.train !== undefined || flags.test !== undefined)
        throw new InvalidInputError([
          { field: '--split', message: 'cannot be combined with --train/--test' },
        ]);
      await runSplit(flags.split, flags.out);
      return;
    }
    const missing = (['train', 'test'] as const).filter((name) => flags[name] === undefined);
    if (missing.length > 0)
      throw new InvalidInputError(missing.map((name) => ({ field: `--${name}`, message: 'is required' })));
    await runEvaluate({ ...flags, train: flags.train!, test: flags.test! });
  });

await runCli('evaluate', async () => {
  await program.parseAsync();
  return EXIT_CODES.ok;
});
