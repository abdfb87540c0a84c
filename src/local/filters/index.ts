/**
 * Personalize filter expressions for the local engine (personalize-reference.md §5).
 *
 * Supported subset:
 * - `INCLUDE | EXCLUDE ItemID WHERE <conditions> [IF <CurrentUser conditions>]`, parts joined by `|`
 *   ((∪ INCLUDE) − (∪ EXCLUDE); with only EXCLUDE parts every other item stays).
 * - `Items.COL IN (…)`, `NOT IN (…)`, `= < <= > >=` (ordered comparisons on numeric columns only); values are
 *   `"text"`, numbers or `$PLACEHOLDER`s; categorical values match exactly, any of an item's `|` values.
 * - `Interactions.EVENT_TYPE IN (…)` / `NOT IN (…)` with `"type"`, `*` or placeholders, matched ignoring case
 *   against the user's newest 100 interactions per event type (training history plus real-time events).
 * - `AND` / `OR` between conditions on the same dataset (AND binds tighter); no parentheses.
 * - `IF CurrentUser.COL IN (…)` or a comparison, joined by AND: the part applies only when they hold (never
 *   for an unknown user).
 * - Placeholders: INCLUDE parts need a value (InvalidInputError naming `filterValues.<NAME>`); EXCLUDE parts
 *   whose placeholder has no value are skipped.
 *
 * Rejected with InvalidInputError naming the position: UserID targets and Users conditions (segments),
 * Interactions columns other than EVENT_TYPE, `!=`, grouping parentheses, textual columns, unknown columns,
 * and expressions outside 1..2500 characters.
 */
export * from './ast.ts';
export * from './attribute-store.ts';
export * from './compile.ts';
export * from './filter-values.ts';
export * from './parse.ts';
export * from './recent-interactions.ts';
