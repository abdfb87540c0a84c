import { InvalidInputError } from '../../errors.ts';
import { assertFilterValuesUsed } from '../../recommender/filter-values-rule.ts';
import type { ExclusionMask } from '../model/types.ts';
import type {
  Comparison,
  Condition,
  FilterAst,
  FilterExpression,
  FilterValue,
  UserCondition,
} from './ast.ts';
import type { AttributeStore } from './attribute-store.ts';
import { decodeFilterValue } from './filter-values.ts';
import { parseFilterExpression } from './parse.ts';
import { filterPlaceholders } from './placeholders.ts';
import type { RecentInteraction } from './recent-interactions.ts';
import { positionedError } from './tokenize.ts';

/** What one request brings to a filter. */
export interface FilterContext {
  /** Items in the catalogue now (the mask's length). */
  readonly itemCount: number;
  readonly filterValues?: Readonly<Record<string, string>> | undefined;
  /** The user's recent interactions; called only when the filter has Interactions conditions. */
  readonly interactions: () => readonly RecentInteraction[];
  /** The user's row in the Users store; undefined for an unknown or absent user (IF conditions then fail). */
  readonly userRow: number | undefined;
}

/** A filter checked against the catalogue's columns, ready to build exclusion masks. */
export interface CompiledFilter {
  readonly name: string;
  readonly expression: string;
  readonly ast: FilterAst;
  /**
   * Items the filter removes for this request (`1` = excluded). Throws InvalidInputError naming
   * `filterValues.<NAME>` when an INCLUDE expression's placeholder has no value, a value does not fit or fills
   * no placeholder.
   */
  exclusionMask(context: FilterContext): ExclusionMask;
}

export interface FilterCatalog {
  readonly items: AttributeStore;
  readonly users: AttributeStore;
}

/** Matches items for one condition, given the condition's values with placeholders expanded. */
type ItemMatcher = (context: FilterContext, values: readonly string[]) => Uint8Array;
type UserMatcher = (row: number, values: readonly string[]) => boolean;

const FIELD = 'filterExpression';

const compare: Record<Comparison, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/**
 * Parses `expression` and checks it against the catalogue: columns must exist, textual columns are not
 * filterable, comparisons need numeric columns. Indexes of the columns used are built here, not per request.
 * Throws InvalidInputError naming the position and the construct.
 */
export function compileFilter(name: string, expression: string, catalog: FilterCatalog): CompiledFilter {
  const ast = parseFilterExpression(expression);
  const compiled = ast.expressions.map((e) => compileExpression(e, catalog));
  const placeholders = new Set(filterPlaceholders(ast).keys());
  return {
    name,
    expression,
    ast,
    exclusionMask(context) {
      assertFilterValuesUsed(placeholders, context.filterValues);
      const included: Uint8Array[] = [];
      const excluded: Uint8Array[] = [];
      for (const { expression: e, apply } of compiled) {
        const matched = apply(context);
        if (matched !== undefined) (e.action === 'INCLUDE' ? included : excluded).push(matched);
      }
      // Pipe semantics (§5.2): (∪ INCLUDE) − (∪ EXCLUDE); with no INCLUDE part every item starts included.
      const mask = new Uint8Array(context.itemCount).fill(included.length > 0 ? 1 : 0);
      for (const matched of included) for (let i = 0; i < mask.length; i++) if (matched[i] === 1) mask[i] = 0;
      for (const matched of excluded) for (let i = 0; i < mask.length; i++) if (matched[i] === 1) mask[i] = 1;
      return mask;
    },
  };
}

function compileExpression(expression: FilterExpression, catalog: FilterCatalog) {
  const groups = expression.anyOf.map((group) =>
    group.map((condition) => ({ condition, match: itemMatcher(condition, catalog.items) })),
  );
  const userChecks = expression.currentUser.map((condition) => ({
    condition,
    match: userMatcher(condition, catalog.users),
  }));
  const include = expression.action === 'INCLUDE';

  /** The items the expression matches, or undefined when it does not apply to this request. */
  const apply = (context: FilterContext): Uint8Array | undefined => {
    for (const { condition, match } of userChecks) {
      const values = resolve(condition.values, context, include);
      if (values === undefined) return undefined;
      if (context.userRow === undefined || !match(context.userRow, values)) return undefined;
    }
    const result = new Uint8Array(context.itemCount);
    for (const group of groups) {
      let matched: Uint8Array | undefined;
      for (const { condition, match } of group) {
        const values = resolve(condition.values, context, include);
        if (values === undefined) return undefined;
        const next = match(context, values);
        if (matched === undefined) matched = next;
        else for (let i = 0; i < matched.length; i++) matched[i]! &= next[i]!;
      }
      for (let i = 0; i < result.length; i++) result[i]! |= matched![i]!;
    }
    return result;
  };
  return { expression, apply };
}

/**
 * The condition's values with placeholders expanded from `filterValues`; undefined when a placeholder has no
 * value in an EXCLUDE expression (the expression is then skipped); an error for INCLUDE expressions (§5.2).
 */
function resolve(
  values: readonly FilterValue[],
  context: FilterContext,
  required: boolean,
): string[] | undefined {
  const resolved: string[] = [];
  for (const value of values) {
    if (value.kind === 'string') resolved.push(value.value);
    else if (value.kind === 'number') resolved.push(String(value.value));
    else if (value.kind === 'any') resolved.push('*');
    else {
      const text = context.filterValues?.[value.name];
      if (text === undefined || text === '') {
        if (!required) return undefined;
        throw new InvalidInputError([
          {
            field: `filterValues.${value.name}`,
            message: 'is required by the filter (an INCLUDE expression uses it)',
          },
        ]);
      }
      resolved.push(...decodeFilterValue(value.name, text));
    }
  }
  return resolved;
}

function placeholderField(values: readonly FilterValue[]): string {
  const placeholder = values.find((v) => v.kind === 'placeholder');
  return placeholder ? `filterValues.${placeholder.name}` : FIELD;
}

/** The single number a comparison needs; placeholders must expand to exactly one numeric value. */
function numberOperand(
  condition: Condition | UserCondition,
  values: readonly string[],
  column: string,
): number {
  const value = values.length === 1 ? Number(values[0]) : Number.NaN;
  if (!Number.isFinite(value)) {
    throw new InvalidInputError([
      {
        field: placeholderField(condition.values),
        message: `must be exactly one number for ${column} ${condition.operator} (got ${JSON.stringify(values.join(','))})`,
      },
    ]);
  }
  return value;
}

function numbersOf(
  condition: Condition | UserCondition,
  values: readonly string[],
  column: string,
): Set<number> {
  return new Set(values.map((v) => numberOperand(condition, [v], column)));
}

/** Checks the column for a condition at creation time; returns its kind. */
function checkColumn(
  store: AttributeStore,
  dataset: string,
  condition: Condition | UserCondition,
): 'categorical' | 'numeric' {
  const reference = `${dataset}.${condition.column}`;
  const column = store.column(condition.column);
  if (column === undefined) {
    const known = store.columns.map((c) => c.name).join(', ') || 'none';
    throw positionedError(
      FIELD,
      condition.position,
      `${reference} is not a column (filterable columns: ${known})`,
    );
  }
  if (column.kind === 'textual') {
    throw positionedError(
      FIELD,
      condition.position,
      `${reference} is textual; textual fields are not filterable`,
    );
  }
  const ordered =
    condition.operator !== 'IN' && condition.operator !== 'NOT IN' && condition.operator !== '=';
  if (ordered && column.kind !== 'numeric') {
    throw positionedError(
      FIELD,
      condition.position,
      `${reference} ${condition.operator} needs a numeric column; ${reference} is categorical`,
    );
  }
  if (column.kind === 'numeric' && condition.values.some((v) => v.kind === 'string')) {
    throw positionedError(FIELD, condition.position, `${reference} is numeric; compare it with numbers`);
  }
  return column.kind;
}

function itemMatcher(condition: Condition, items: AttributeStore): ItemMatcher {
  if (condition.dataset === 'Interactions') return interactionsMatcher(condition);
  const reference = `Items.${condition.column}`;
  const kind = checkColumn(items, 'Items', condition);
  const { column, operator } = condition;
  const negate = operator === 'NOT IN';
  if (kind === 'categorical') {
    items.prepareIndex(column);
    return (context, values) => {
      const out = new Uint8Array(context.itemCount);
      for (const value of values)
        for (const row of items.rowsWith(column, value)) if (row < out.length) out[row] = 1;
      return negate ? invert(out) : out;
    };
  }
  if (operator === 'IN' || operator === 'NOT IN') {
    return (context, values) => {
      const wanted = numbersOf(condition, values, reference);
      const numbers = items.numericValues(column);
      const out = new Uint8Array(context.itemCount);
      for (let row = 0; row < out.length; row++) out[row] = wanted.has(numbers[row] ?? Number.NaN) ? 1 : 0;
      return negate ? invert(out) : out;
    };
  }
  const test = compare[operator];
  return (context, values) => {
    const operand = numberOperand(condition, values, reference);
    const numbers = items.numericValues(column);
    const out = new Uint8Array(context.itemCount);
    for (let row = 0; row < out.length; row++) out[row] = test(numbers[row] ?? Number.NaN, operand) ? 1 : 0;
    return out;
  };
}

/** Items the user interacted with under the listed event types (case-insensitive; `*` is any type). */
function interactionsMatcher(condition: Condition): ItemMatcher {
  const negate = condition.operator === 'NOT IN';
  return (context, values) => {
    const types = new Set(values.map((v) => v.toLowerCase()));
    const any = types.has('*');
    const out = new Uint8Array(context.itemCount);
    for (const { item, eventType } of context.interactions()) {
      const listed = any || types.has(eventType);
      if (listed !== negate && item < out.length) out[item] = 1;
    }
    return out;
  };
}

function userMatcher(condition: UserCondition, users: AttributeStore): UserMatcher {
  const reference = `CurrentUser.${condition.column}`;
  const kind = checkColumn(users, 'CurrentUser', condition);
  const { column, operator } = condition;
  if (kind === 'categorical') {
    return (row, values) => users.categorical(column, row).some((v) => values.includes(v));
  }
  if (operator === 'IN')
    return (row, values) => numbersOf(condition, values, reference).has(users.numeric(column, row));
  const test = compare[operator];
  return (row, values) => test(users.numeric(column, row), numberOperand(condition, values, reference));
}

function invert(matched: Uint8Array): Uint8Array {
  for (let i = 0; i < matched.length; i++) matched[i] = matched[i] === 1 ? 0 : 1;
  return matched;
}
