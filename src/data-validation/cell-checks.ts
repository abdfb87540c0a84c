/**
 * Per-column value checks compiled once from the schema, so the row loop only calls one function per cell.
 * A cell reports at most one problem: the first rule it breaks.
 */
import { codePointLength } from '../core/code-points.ts';
import { LIMITS } from '../recommender/limits.ts';
import type { FieldSpec, FieldType } from '../schemas/types.ts';
import { DATA_LIMITS, type DataRuleId } from './rule-catalog.ts';

export interface CellProblem {
  readonly rule: DataRuleId;
  readonly message: string;
}

/** Returns the problem with a non-empty or empty cell value, or undefined when it is fine. */
export type CellCheck = (value: string) => CellProblem | undefined;

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MAX_FLOAT = 3.4028234663852886e38;
const MAX_LONG_DIGITS = '9223372036854775807';
const INT_RANGE = 2 ** 31;

const TIMESTAMP_FIELDS = new Set(['TIMESTAMP', 'CREATION_TIMESTAMP']);
const ID_FIELDS = new Set(['USER_ID', 'ITEM_ID']);
/** Reserved `|`-separated fields held to the categorical length limit. */
const MULTI_VALUE_FIELDS = new Set(['IMPRESSION']);

function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** Integer literal within the signed 64-bit range, compared as digits because Number loses precision there. */
function isLong(value: string): boolean {
  if (!INTEGER.test(value)) return false;
  if (value.length < MAX_LONG_DIGITS.length) return true;
  const digits = value.replace(/^[+-]?0*/, '');
  if (digits.length !== MAX_LONG_DIGITS.length) return digits.length < MAX_LONG_DIGITS.length;
  return digits <= MAX_LONG_DIGITS || (value.startsWith('-') && digits === '9223372036854775808');
}

/** True when `value` is a valid literal of `type` in a CSV cell. */
const TYPE_CHECKS: Readonly<Record<FieldType, (value: string) => boolean>> = {
  string: () => true,
  int: (v) => INTEGER.test(v) && Math.abs(Number(v)) <= INT_RANGE && Number(v) !== INT_RANGE,
  long: isLong,
  float: (v) => DECIMAL.test(v) && Math.abs(Number(v)) <= MAX_FLOAT,
  double: (v) => DECIMAL.test(v) && Number.isFinite(Number(v)),
  boolean: (v) => v === 'true' || v === 'false',
};

const TYPE_WORDS: Readonly<Record<FieldType, string>> = {
  string: 'a string',
  int: 'an int (32-bit integer)',
  long: 'a long (64-bit integer)',
  float: 'a float',
  double: 'a double',
  boolean: 'a lower-case boolean (true or false)',
};

function timestampCheck(name: string, nowSeconds: number): CellCheck {
  return (value) => {
    const seconds = Number(value);
    if (seconds > LIMITS.maxEpochSeconds) {
      return {
        rule: 'timestamp-milliseconds',
        message: `${name} ${value} is above 1e11, so it looks like milliseconds; use Unix epoch seconds`,
      };
    }
    if (seconds > nowSeconds) {
      return {
        rule: 'timestamp-future',
        message: `${name} ${value} is in the future (now is ${Math.floor(nowSeconds)})`,
      };
    }
    if (seconds < DATA_LIMITS.oldestPlausibleEpochSeconds) {
      return {
        rule: 'timestamp-too-old',
        message: `${name} ${value} is before 2000-01-01 (${DATA_LIMITS.oldestPlausibleEpochSeconds})`,
      };
    }
    return undefined;
  };
}

function lengthCheck(name: string, rule: DataRuleId, limit: number, what: string): CellCheck {
  return (value) => {
    // UTF-16 length bounds the code point count from above: only a long value needs counting.
    if (value.length <= limit) return undefined;
    const characters = codePointLength(value);
    return characters > limit
      ? { rule, message: `${name} ${what} is ${characters} characters, the limit is ${limit}` }
      : undefined;
  };
}

/** The check after the type check: timestamps, id, categorical and textual lengths. */
function contentCheck(field: FieldSpec, nowSeconds: number): CellCheck | undefined {
  if (TIMESTAMP_FIELDS.has(field.name) && field.type === 'long')
    return timestampCheck(field.name, nowSeconds);
  if (field.type !== 'string') return undefined;
  if (ID_FIELDS.has(field.name)) return lengthCheck(field.name, 'id-length', LIMITS.idLength, 'value');
  if (field.categorical || MULTI_VALUE_FIELDS.has(field.name)) {
    return lengthCheck(
      field.name,
      'categorical-length',
      DATA_LIMITS.categoricalLength,
      'value (all |-separated parts together)',
    );
  }
  if (field.textual) return lengthCheck(field.name, 'textual-length', DATA_LIMITS.textualLength, 'text');
  return undefined;
}

/** Builds the check for one schema field; `nowSeconds` bounds timestamps from above. */
export function compileCellCheck(field: FieldSpec, nowSeconds: number): CellCheck {
  const isType = TYPE_CHECKS[field.type];
  const content = contentCheck(field, nowSeconds);
  const required: CellProblem = {
    rule: 'required-value',
    message: `${field.name} is empty but not nullable (its type has no "null")`,
  };
  return (value) => {
    if (value === '') return field.nullable ? undefined : required;
    if (!isType(value)) {
      return {
        rule: 'field-type',
        message: `${field.name} ${shown(value)} is not ${TYPE_WORDS[field.type]}`,
      };
    }
    return content?.(value);
  };
}
