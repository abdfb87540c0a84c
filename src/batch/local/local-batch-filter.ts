import { type FieldIssue, InvalidInputError } from '../../errors.ts';
import { decodeFilterValue } from '../../local/filters/filter-values.ts';
import { type FilterAst, type FilterDefinition, parseFilterExpression } from '../../local/index.ts';
import { LIMITS } from '../../recommender/limits.ts';

/** The name the batch's filter expression is registered under in every recommender answering the batch. */
export const LOCAL_BATCH_FILTER = 'local-batch-filter';

/** Placeholder names of the filter, each with whether an INCLUDE expression needs it (EXCLUDE ones may skip). */
function placeholders(ast: FilterAst): Map<string, boolean> {
  const found = new Map<string, boolean>();
  for (const expression of ast.expressions) {
    const include = expression.action === 'INCLUDE';
    const conditions = [...expression.anyOf.flat(), ...expression.currentUser];
    for (const value of conditions.flatMap((c) => c.values)) {
      if (value.kind === 'placeholder') found.set(value.name, include || (found.get(value.name) ?? false));
    }
  }
  return found;
}

/**
 * Checks a batch's filter expression and placeholder values before any user is answered: the same values go on
 * every line, so a missing INCLUDE placeholder, a value for no placeholder or a badly encoded value would
 * otherwise fail (or be ignored on) every line. Columns are checked later, against the model's catalogue.
 * Returns the filter to register, or none without an expression.
 */
export function checkLocalBatchFilter(
  expression: string | undefined,
  filterValues: Readonly<Record<string, string>> | undefined,
): FilterDefinition[] {
  if (expression === undefined) {
    if (filterValues === undefined) return [];
    throw new InvalidInputError([
      { field: 'filterValues', message: 'placeholder values need a filter expression that uses them' },
    ]);
  }
  const wanted = placeholders(parseFilterExpression(expression));
  const given = filterValues ?? {};
  const issues: FieldIssue[] = [];
  for (const [name, required] of wanted) {
    if (required && given[name] === undefined) {
      issues.push({
        field: `filterValues.${name}`,
        message: `is required: an INCLUDE expression uses $${name}`,
      });
    }
  }
  const known = [...wanted.keys()].map((n) => `$${n}`).join(', ') || 'none';
  for (const [name, text] of Object.entries(given)) {
    if (!wanted.has(name)) {
      issues.push({
        field: `filterValues.${name}`,
        message: `fills no placeholder of the filter expression (placeholders: ${known})`,
      });
    } else if (text.length > LIMITS.filterValues.valueLength) {
      issues.push({
        field: `filterValues.${name}`,
        message: `must be at most ${LIMITS.filterValues.valueLength} characters (got ${text.length})`,
      });
    } else {
      try {
        decodeFilterValue(name, text);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        issues.push(...error.issues);
      }
    }
  }
  if (issues.length > 0) throw new InvalidInputError(issues);
  return [{ name: LOCAL_BATCH_FILTER, expression }];
}
