import { InvalidInputError } from '../../errors.ts';
import { BATCH_LIMITS } from './batch-limits.ts';

/** One condition of an Item-Attribute-Affinity query: an Items column equal to a value. */
export interface AttributeCondition {
  readonly column: string;
  readonly value: string;
}

const SPACE = /\s*/y;
const COLUMN_REF = /ITEMS\.([A-Za-z_][A-Za-z0-9_]*)/y;
const EQUALS = /=/y;
const VALUE = /"((?:[^"\\]|\\.)*)"/y;
const AND = /\s+AND\b\s*/y;
const END = /\s*$/y;
/** Filter-expression habits that are not part of this grammar, recognised to say so. */
const OTHER_OPERATOR = /(?:!=|<>|<=|>=|<|>|NOT\s+IN\b|IN\b)/iy;
const OR = /OR\b/iy;

const EXAMPLE = 'ITEMS.GENRES = "comedy" AND ITEMS.COLOR = "red"';

/**
 * Parses an Item-Attribute-Affinity query (personalize-reference.md §6.1): `ITEMS.<column> = "<value>"`
 * conditions joined by AND, columns mixed freely, `\` escaping quotes inside values. Unlike filter expressions
 * only `=` and `AND` exist. Throws InvalidInputError naming `field` and the character where the query leaves
 * the grammar.
 */
export function parseItemAttributesQuery(text: string, field: string): AttributeCondition[] {
  let position = 0;
  const fail = (message: string): never => {
    throw new InvalidInputError([
      { field, message: `at character ${position}: ${message} (queries look like ${EXAMPLE})` },
    ]);
  };
  const at = (pattern: RegExp): RegExpExecArray | null => {
    pattern.lastIndex = position;
    return pattern.exec(text);
  };
  const take = (pattern: RegExp): RegExpExecArray | null => {
    const match = at(pattern);
    if (match) position = pattern.lastIndex;
    return match;
  };
  const conditions: AttributeCondition[] = [];
  take(SPACE);
  for (;;) {
    const column = take(COLUMN_REF) ?? fail('expected ITEMS.<column>');
    take(SPACE);
    if (!take(EQUALS)) fail(at(OTHER_OPERATOR) ? 'only = compares a column with a value' : 'expected =');
    take(SPACE);
    if (at(VALUE)?.[1] === '') fail('the value is empty');
    const value = take(VALUE) ?? fail('expected a double-quoted value');
    conditions.push({ column: column[1]!, value: value[1]!.replace(/\\(.)/g, '$1') });
    if (take(AND)) continue;
    if (at(END)) return conditions;
    take(SPACE);
    fail(
      at(OR)
        ? 'only AND joins conditions; put alternatives in separate queries'
        : 'expected AND or the end of the query',
    );
  }
}

/** A query with where it came from, e.g. `attributes.txt line 3` or `--item-attributes #2`. */
export interface NamedQuery {
  readonly query: string;
  readonly field: string;
}

/**
 * Checks the queries of one Item-Attribute-Affinity job: each against the grammar, and their number against
 * Personalize's per-file limit. Throws InvalidInputError naming every bad query.
 */
export function checkAttributeQueries(queries: readonly NamedQuery[]): void {
  const max = BATCH_LIMITS.segmentQueries['item-attribute-affinity'];
  if (queries.length === 0 || queries.length > max) {
    throw new InvalidInputError([
      {
        field: 'itemAttributes',
        message: `${queries.length} queries given; Item-Attribute-Affinity takes 1..${max} per input file`,
      },
    ]);
  }
  const issues = queries.flatMap(({ query, field }) => {
    try {
      parseItemAttributesQuery(query, field);
      return [];
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return error.issues;
    }
  });
  if (issues.length > 0) throw new InvalidInputError(issues);
}
