import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type FieldIssue, InvalidInputError } from '../../src/errors.ts';
import { parseSchema } from '../../src/schemas/load.ts';
import { DATASET_TYPES, type DatasetSchema, type DatasetType } from '../../src/schemas/types.ts';
import { REPO_ROOT } from './repo-root.ts';
import type { AppConfig } from './schema.ts';

/**
 * The Avro schema `config.schemaFiles[key]` names (relative to the repository root), parsed. A missing or
 * malformed file is a configuration mistake: the error names the key, not a stack frame of the data stack.
 */
export function loadSchemaFile(key: DatasetType, file: string): DatasetSchema {
  const field = `config.schemaFiles.${key}`;
  const path = resolve(REPO_ROOT, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const message =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `${file}: no such file (looked for ${path})`
        : `cannot read ${path}: ${(error as Error).message}`;
    throw new InvalidInputError([{ field, message }], { cause: error });
  }
  try {
    return parseSchema(key, text, file);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new InvalidInputError([{ field, message: error.message }], { cause: error });
  }
}

/** One issue per configured schema file that cannot be read or is not a Personalize Avro schema. */
export function schemaFileIssues(config: AppConfig): FieldIssue[] {
  return DATASET_TYPES.flatMap((key) => {
    const file = config.schemaFiles[key];
    if (file === undefined) return [];
    try {
      loadSchemaFile(key, file);
      return [];
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return error.issues;
    }
  });
}
