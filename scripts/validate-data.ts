/**
 * `npm run validate-data -- --interactions <csv> [--users <csv>] [--items <csv>] [--schemas <dir>] [--json]`
 * Checks dataset CSVs before a Personalize import. Exit code 1 when any error is found (or a file is missing),
 * 0 when there are only warnings.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { createProgress } from '../src/cli/progress.ts';
import { renderText, validateDatasets } from '../src/data-validation/index.ts';
import { ResourceNotFoundError, ToolkitError } from '../src/errors.ts';
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
  const program = new Command('validate-data')
    .description('Check Personalize dataset CSVs against their schemas and the import and training rules')
    .option('--interactions <csv>', 'interactions CSV file')
    .option('--users <csv>', 'users CSV file')
    .option('--items <csv>', 'items CSV file')
    .option('--schemas <dir>', 'folder with interactions.json, users.json, items.json', DEFAULT_SCHEMA_DIR)
    .option('--max-examples <n>', 'examples listed per rule', positiveInt, 10)
    .option('--json', 'print the report as JSON')
    .parse(argv, { from: 'user' });
  const options = program.opts<CliOptions>();
  if (!DATASET_TYPES.some((d) => options[d] !== undefined)) {
    program.error('give at least one of --interactions, --users, --items');
  }
  try {
    const report = await validateDatasets({
      interactions: options.interactions,
      users: options.users,
      items: options.items,
      schemas: schemasFor(options),
      options: { maxExamples: options.maxExamples, progress: createProgress({ quiet: options.json }) },
    });
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (!(error instanceof ToolkitError)) throw error;
    process.stderr.write(`validate-data: ${error.message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
