import { stat } from 'node:fs/promises';
import { InvalidInputError, ResourceNotFoundError } from '../errors.ts';
import { checkSchemaRules } from '../schemas/rules.ts';
import type { DatasetSchema, DatasetType } from '../schemas/types.ts';
import { type EntityScan, scanEntities } from './entities.ts';
import { scanInteractions } from './interactions.ts';
import { IssueLog } from './issue-log.ts';
import type { FileSummary, ValidateDatasetsInput, ValidationReport } from './types.ts';

const DEFAULT_MAX_EXAMPLES = 10;
const DEFAULT_DUPLICATE_CHECK_BYTES = 128 * 1024 * 1024;
/** Users and items first: interactions are checked against their ids. */
const ORDER: readonly DatasetType[] = ['users', 'items', 'interactions'];

async function assertReadable(dataset: DatasetType, file: string): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (info === undefined) throw new ResourceNotFoundError(`${dataset} file not found: ${file}`);
  if (!info.isFile()) {
    throw new InvalidInputError([
      { field: dataset, message: `${file} is a directory; give the path of the CSV file inside it` },
    ]);
  }
}

function schemaFor(input: ValidateDatasetsInput, dataset: DatasetType): DatasetSchema {
  const schema = input.schemas[dataset];
  if (!schema) {
    throw new InvalidInputError([
      { field: `schemas.${dataset}`, message: `a schema is required to validate ${input[dataset]}` },
    ]);
  }
  if (schema.datasetType !== dataset) {
    throw new InvalidInputError([
      { field: `schemas.${dataset}`, message: `is a ${schema.datasetType} schema, expected ${dataset}` },
    ]);
  }
  return schema;
}

/**
 * Checks the given dataset CSVs against their schemas and Personalize's import and training rules, streaming
 * each file once. Throws ResourceNotFoundError for a missing file and InvalidInputError when no file or no
 * schema is given; every problem in the data itself is reported, not thrown.
 */
export async function validateDatasets(input: ValidateDatasetsInput): Promise<ValidationReport> {
  const given = ORDER.filter((d) => input[d] !== undefined);
  if (given.length === 0) {
    throw new InvalidInputError([
      { field: 'interactions', message: 'give at least one of the interactions, users or items files' },
    ]);
  }
  const schemas = new Map(given.map((d) => [d, schemaFor(input, d)]));
  for (const d of given) await assertReadable(d, input[d]!);

  const options = input.options ?? {};
  const log = new IssueLog(options.maxExamples ?? DEFAULT_MAX_EXAMPLES);
  const nowSeconds = options.nowSeconds ?? Date.now() / 1000;
  const { progress } = options;
  for (const [dataset, schema] of schemas) {
    for (const issue of checkSchemaRules(schema)) {
      log.addWith(issue.rule, issue.severity, 'schema rule (personalize-reference.md §3.1–3.2)', {
        file: `${dataset} schema`,
        line: 0,
        column: 0,
        message: `${issue.field}: ${issue.message}`,
      });
    }
  }

  const files: FileSummary[] = [];
  const ids: Partial<Record<'users' | 'items', { file: string; ids: EntityScan['ids'] }>> = {};
  for (const dataset of ['users', 'items'] as const) {
    const file = input[dataset];
    if (file === undefined) continue;
    const scan = await scanEntities(dataset, {
      file,
      schema: schemas.get(dataset)!,
      log,
      nowSeconds,
      progress,
    });
    files.push({ dataset, file, rows: scan.rows });
    ids[dataset] = { file, ids: scan.ids };
  }

  const notes: string[] = [];
  let interactions: ValidationReport['interactions'];
  if (input.interactions !== undefined) {
    const file = input.interactions;
    const scan = await scanInteractions({
      file,
      schema: schemas.get('interactions')!,
      log,
      nowSeconds,
      progress,
      duplicateCheckBytes: options.duplicateCheckBytes ?? DEFAULT_DUPLICATE_CHECK_BYTES,
      ...ids,
    });
    interactions = scan.summary;
    files.push({ dataset: 'interactions', file, rows: scan.summary.rows });
    notes.push(
      'duplicate interactions are found by 64-bit hashes of the row text in a fixed-size table; a hash collision can, very rarely, flag a false duplicate',
    );
    if (scan.duplicateCoverage < 1) {
      notes.push(
        `the duplicate table filled up, so only a hash-selected 1/${1 / scan.duplicateCoverage} of distinct rows was checked for duplicates in the end`,
      );
    }
    if (ids.users || ids.items) {
      notes.push('user and item ids are compared by 64-bit hash');
    }
  }

  const rules = log.results();
  const counts = { error: 0, warning: 0, info: 0 };
  for (const r of rules) counts[r.severity] += r.count;
  return { ok: counts.error === 0, counts, rules, files, ...(interactions && { interactions }), notes };
}
