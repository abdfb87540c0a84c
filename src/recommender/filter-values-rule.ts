import { type FieldIssue, InvalidInputError } from '../errors.ts';

/**
 * The `filterValues` entries of a request that no placeholder of its filter uses: every entry when the request
 * names no filter (`placeholders` undefined). One rule for the HTTP API, the engines and `cli batch-local`.
 *
 * Personalize (personalize-reference.md §5.2) documents only missing values: an INCLUDE expression without its
 * placeholder's value is an error, an EXCLUDE expression is skipped. It says nothing of values no placeholder
 * uses, so we follow the stricter reading and refuse them: keys are case-sensitive placeholder names, and an
 * unused key is most often a misspelt one (`GENRE` for `$GENRES`), whose EXCLUDE expression would otherwise be
 * skipped without a word, or values sent with no filter at all, which can change nothing. It is also the
 * safe direction for a stand-in: code tried against the local engine never sends values Personalize may ignore.
 */
export function unusedFilterValueIssues(
  placeholders: ReadonlySet<string> | undefined,
  filterValues: Readonly<Record<string, string>> | undefined,
): FieldIssue[] {
  if (filterValues === undefined) return [];
  const keys = Object.keys(filterValues);
  if (placeholders === undefined) {
    const named = keys.length > 0 ? ` (got ${keys.join(', ')})` : '';
    return [
      {
        field: 'filterValues',
        message: `placeholder values need a filter expression that uses them, and no filter is given${named}`,
      },
    ];
  }
  const known = [...placeholders].map((name) => `$${name}`).join(', ') || 'none';
  return keys
    .filter((key) => !placeholders.has(key))
    .map((key) => ({
      field: `filterValues.${key}`,
      message: `fills no placeholder of the filter expression (placeholders: ${known})`,
    }));
}

/** Throws InvalidInputError naming each `filterValues` entry no placeholder uses (see `unusedFilterValueIssues`). */
export function assertFilterValuesUsed(
  placeholders: ReadonlySet<string> | undefined,
  filterValues: Readonly<Record<string, string>> | undefined,
): void {
  const issues = unusedFilterValueIssues(placeholders, filterValues);
  if (issues.length > 0) throw new InvalidInputError(issues);
}
