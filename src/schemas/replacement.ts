import type { FieldIssue } from '../errors.ts';
import type { DatasetSchema, FieldSpec } from './types.ts';

/**
 * Why Personalize would refuse to swap `current` for `next` on a dataset (UpdateDataset), as field issues on
 * `schemaArn`; empty when the swap is allowed. Rules (Personalize developer guide, "Replacing a dataset's
 * schema"): only Items and Users datasets take a new schema; every field of the old schema stays, with its
 * type and attributes (nullability, categorical, textual); fields the new schema adds must accept null.
 */
export function schemaReplacementIssues(current: DatasetSchema, next: DatasetSchema): FieldIssue[] {
  if (current.datasetType === 'interactions') {
    return [
      {
        field: 'datasetArn',
        message: 'the schema of an Interactions dataset cannot be replaced (only Items and Users datasets)',
      },
    ];
  }
  const attributes = (f: FieldSpec) =>
    JSON.stringify({ type: f.type, nullable: f.nullable, categorical: f.categorical, textual: f.textual });
  const issues: FieldIssue[] = [];
  for (const field of current.fields) {
    const kept = next.fields.find((f) => f.name === field.name);
    if (kept === undefined) {
      issues.push({
        field: 'schemaArn',
        message: `drops the field ${field.name}; a new schema keeps every field`,
      });
    } else if (attributes(kept) !== attributes(field)) {
      issues.push({
        field: 'schemaArn',
        message: `changes the field ${field.name} (${attributes(field)} → ${attributes(kept)}); a kept field keeps its type and attributes`,
      });
    }
  }
  for (const field of next.fields) {
    if (!field.nullable && !current.fields.some((f) => f.name === field.name)) {
      issues.push({ field: 'schemaArn', message: `adds the field ${field.name}, which must accept null` });
    }
  }
  return issues;
}
