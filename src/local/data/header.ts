import { InvalidInputError } from '../../errors.ts';
import type { DatasetSchema } from '../../schemas/types.ts';

/**
 * Checks a CSV header: every required column must be there and, with a schema, the header must hold exactly
 * the schema's fields (Personalize fails an import on a missing column). Returns each column's position.
 */
export function checkHeader(
  source: string,
  header: readonly string[],
  required: readonly string[],
  schema?: DatasetSchema,
): Map<string, number> {
  const positions = new Map(header.map((name, i) => [name.trim(), i] as const));
  const missing = required.filter((name) => !positions.has(name));
  if (missing.length > 0) {
    throw new InvalidInputError(
      missing.map((name) => ({
        field: `${source}:1:${name}`,
        message: `required column ${name} is missing`,
      })),
    );
  }
  if (schema) {
    const fields = new Set(schema.fields.map((f) => f.name));
    const absent = [...fields].filter((name) => !positions.has(name));
    const extra = [...positions.keys()].filter((name) => !fields.has(name));
    const issues = [
      ...absent.map((name) => ({
        field: `${source}:1:${name}`,
        message: `the ${schema.datasetType} schema has column ${name} but the file does not`,
      })),
      ...extra.map((name) => ({
        field: `${source}:1:${name}`,
        message: `column ${name} is not in the ${schema.datasetType} schema`,
      })),
    ];
    if (issues.length > 0) throw new InvalidInputError(issues);
  }
  return positions;
}
