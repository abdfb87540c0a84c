/**
 * `npm run evaluate -- --train <csv> --test <csv> [--items <csv>] [--users <csv>] [--schemas <dir>]
 *   [--algo <name>] [--k 10] [--json <file>] [--quiet]` fits each registered algorithm and the hybrid on train
 * and prints ranking metrics on test; `npm run evaluate -- --split <interactions.csv> --out <dir>` writes the
 * chronological train.csv / test.csv split first. See src/evaluation/ for the protocol.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { DEBUG_FLAG, EXIT_CODES, runCli } from '../src/cli/exit-codes.ts';
import { createProgress } from '../src/cli/progress.ts';
import { InvalidInputError, ResourceNotFoundError } from '../src/errors.ts';
import { algorithmsToEvaluate } from '../src/evaluation/algorithms.ts';
import { evaluate } from '../src/evaluation/evaluate.ts';
import { formatReportTable } from '../src/evaluation/report-table.ts';
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
  readonly split?: string;
  readonly out?: string;
  readonly quiet?: boolean;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`must be a positive integer, got "${value}"`);
  return n;
}

async function runSplit(input: string, outDir: string): Promise<void> {
  requireFiles({ '--split': input });
  const summary = await splitInteractionsFile(input, outDir);
  console.log(
    `wrote ${summary.trainPath} (${summary.trainRows} rows) and ${summary.testPath} (${summary.testRows} rows, ` +
      `${summary.testUsers} users); dropped ${summary.droppedTestRows} held-out rows whose item is not in train`,
  );
}

/** Fails with the flag and path of the first input that does not exist. */
function requireFiles(paths: Readonly<Record<string, string | undefined>>): void {
  for (const [flag, path] of Object.entries(paths)) {
    if (path !== undefined && !existsSync(path))
      throw new ResourceNotFoundError(`${flag}: no such file or directory: ${path}`);
  }
}

/** The schemas of the datasets given, read from `<dir>/<type>.json`. */
function schemasFor(dir: string, flags: Flags): PartialSchemas {
  const types: DatasetType[] = ['interactions'];
  if (flags.items) types.push('items');
  if (flags.users) types.push('users');
  return Object.fromEntries(
    types.map((type) => {
      requireFiles({ '--schemas': `${dir}/${type}.json` });
      return [type, loadSchema(type, dir)];
    }),
  );
}

async function runEvaluate(flags: Flags & { train: string; test: string }): Promise<void> {
  requireFiles({
    '--train': flags.train,
    '--test': flags.test,
    '--items': flags.items,
    '--users': flags.users,
  });
  const algorithms = algorithmsToEvaluate(flags.algo);
  const schemas = flags.schemas === undefined ? undefined : schemasFor(flags.schemas, flags);
  const progress = createProgress({ quiet: flags.quiet });
  const train = await loadDataset(
    { interactions: flags.train, items: flags.items, users: flags.users, schemas },
    progress,
  );
  const test = await readTestInteractions(flags.test);
  const report = await evaluate({ train, test, algorithms, k: flags.k, progress });
  console.log(`${report.testUsers} test users, k = ${report.k}`);
  console.log(formatReportTable(report));
  if (flags.json) {
    await writeFile(flags.json, `${JSON.stringify(report, null, 2)}\n`).catch((error: unknown) => {
      throw new InvalidInputError(
        [{ field: '--json', message: `cannot write ${flags.json}: ${(error as Error).message}` }],
        {
          cause: error,
        },
      );
    });
  }
}

const program = new Command('evaluate')
  .description('offline evaluation of the local recommender (and the chronological split it is measured on)')
  .option('--train <csv>', 'training interactions (USER_ID, ITEM_ID, TIMESTAMP, ...)')
  .option('--test <csv>', 'held-out interactions (USER_ID, ITEM_ID), used as given')
  .option('--items <csv>', 'items metadata, any columns')
  .option('--users <csv>', 'users metadata, any columns')
  .option('--schemas <dir>', 'directory of Personalize Avro schemas for the CSVs')
  .option('--algo <name>', 'evaluate only this algorithm (a registered name or "hybrid")')
  .option('--k <n>', 'cut-off of the @k metrics', positiveInteger, 10)
  .option('--json <file>', 'also write the results as JSON')
  .option('--split <csv>', 'instead of evaluating, split this interactions file chronologically')
  .option('--out <dir>', 'where --split writes train.csv and test.csv')
  .option('--quiet', 'no progress bar')
  .option(...DEBUG_FLAG)
  .exitOverride()
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
