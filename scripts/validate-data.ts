/**
 * `npm run validate-data -- --interactions <csv> [--users <csv>] [--items <csv>] [--schemas <dir>] [--json]`
 * Checks dataset CSVs before a Personalize import. Exit code 0 with warnings only, 2 when the data has errors,
 * 3 when a file or schema is missing (README "Exit codes").
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { cliProgram, DEBUG_FLAG, runCli } from '../src/cli/exit-codes.ts';
import { createProgress } from '../src/cli/progress.ts';
import { renderText, validateDatasets } from '../src/data-validation/index.ts';
import { InvalidInputError, ResourceNotFoundError } from '../src/errors.ts';
import {
  DATASET_TYPES,
  type DatasetSchema,
  type DatasetType,
  DEFAULT_SCHEMA_DIR,
  loadSchema,
} from '../src/schemas/index.ts';

interface CliOptions {
  interactions?: string;
  users?: string;
  items?: string;
  schemas: string;
  json?: boolean;
  maxExamples: number;
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function schemasFor(options: CliOptions): Partial<Record<DatasetType, DatasetSchema>> {
  const given = DATASET_TYPES.filter((d) => options[d] !== undefined);
  return Object.fromEntries(
    given.map((d) => {
      const path = join(options.schemas, `${d}.json`);
      if (!existsSync(path)) throw new ResourceNotFoundError(`${d} schema not found: ${path}`);
      return [d, loadSchema(d, options.schemas)];
    }),
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const program = cliProgram('validate-data')
    .description('Check Personalize dataset CSVs against their schemas and the import and training rules')
    .option('--interactions <csv>', 'interactions CSV file')
    .option('--users <csv>', 'users CSV file')
    .option('--items <csv>', 'items CSV file')
    .option('--schemas <dir>', 'folder with interactions.json, users.json, items.json', DEFAULT_SCHEMA_DIR)
    .option('--max-examples <n>', 'examples listed per rule', positiveInt, 10)
    .option('--json', 'print the report as JSON')
    .option(...DEBUG_FLAG)
    .parse(argv, { from: 'user' });
  const options = program.opts<CliOptions>();
  if (!DATASET_TYPES.some((d) => options[d] !== undefined)) {
    program.error('give at least one of --interactions, --users, --items');
  }
  const report = await validateDatasets({
    interactions: options.interactions,
    users: options.users,
    items: options.items,
    schemas: schemasFor(options),
    options: { maxExamples: options.maxExamples, progress: createProgress({ quiet: options.json }) },
  });
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report));
  if (!report.ok) {
    throw new InvalidInputError(`the data has ${report.counts.error} error(s): see the report on stdout`);
  }
  return 0;
}

await runCli('validate-data', () => main(process.argv.slice(2)));
