import type { FieldSpec } from '../../schemas/types.ts';
import type { AttributeKind } from './types.ts';

/** At or below this many distinct values (or 20% of the rows, when larger) a string column is categorical. */
const LOW_CARDINALITY = 50;
const LOW_CARDINALITY_SHARE = 0.2;
/** Free text has several words per value and mostly distinct values (titles, descriptions). */
const TEXT_MIN_MEAN_WORDS = 2;
const TEXT_MIN_DISTINCT_SHARE = 0.5;

/**
 * How a schema field is used, the way Personalize reads it: numbers are numeric, flagged strings are
 * categorical or textual, booleans are two categories; other strings are ignored (`undefined`).
 */
export function kindFromSchema(field: FieldSpec): AttributeKind | undefined {
  if (field.categorical) return 'categorical';
  if (field.textual) return 'textual';
  if (field.type === 'boolean') return 'categorical';
  if (field.type === 'string') return undefined;
  return 'numeric';
}

/**
 * Guesses a column's kind from its values when there is no schema (users' own files, e.g. GENRES, TITLE,
 * AGE): all numbers → numeric; `|`-separated lists or few distinct values → categorical; many distinct
 * multi-word values → textual. Anything else (ids, codes, URLs) is ignored, like an unflagged string.
 */
export function inferKind(values: readonly string[]): AttributeKind | undefined {
  let present = 0;
  let numeric = true;
  let multiValued = false;
  let words = 0;
  const distinct = new Set<string>();
  for (const value of values) {
    if (value === '') continue;
    present++;
    if (numeric && !Number.isFinite(Number(value))) numeric = false;
    if (!multiValued && value.includes('|')) multiValued = true;
    words += value.trim().split(/\s+/).length;
    distinct.add(value);
  }
  if (present === 0) return undefined;
  if (numeric) return 'numeric';
  if (multiValued) return 'categorical';
  const distinctShare = distinct.size / present;
  if (words / present >= TEXT_MIN_MEAN_WORDS && distinctShare >= TEXT_MIN_DISTINCT_SHARE) return 'textual';
  if (distinct.size <= Math.max(LOW_CARDINALITY, present * LOW_CARDINALITY_SHARE)) return 'categorical';
  return undefined;
}
