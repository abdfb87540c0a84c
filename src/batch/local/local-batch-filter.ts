import { type FieldIssue, InvalidInputError } from '../../errors.ts';
import { decodeFilterValue } from '../../local/filters/filter-values.ts';
import { filterPlaceholders } from '../../local/filters/placeholders.ts';
import { type FilterDefinition, parseFilterExpression } from '../../local/index.ts';
import { assertFilterValuesUsed, unusedFilterValueIssues } from '../../recommender/filter-values-rule.ts';
import { LIMITS } from '../../recommender/limits.ts';

/** The name the batch's filter expression is registered under in every recommender answering the batch. */
export const LOCAL_BATCH_FILTER = 'local-batch-filter';

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
    assertFilterValuesUsed(undefined, filterValues);
    return [];
  }
  const wanted = filterPlaceholders(parseFilterExpression(expression));
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
  issues.push(...unusedFilterValueIssues(new Set(wanted.keys()), filterValues));
  for (const [name, text] of Object.entries(given)) {
    if (!wanted.has(name)) continue;
    if (text.length > LIMITS.filterValues.valueLength) {
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
