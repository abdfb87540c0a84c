/**
 * The syntax tree of a Personalize filter expression (personalize-reference.md §5.1), restricted to the subset
 * the local engine evaluates: item filters (`ItemID` target) over Items columns or Interactions.EVENT_TYPE,
 * with an optional `IF CurrentUser.…` clause, combined by `|`.
 */

export type Comparison = '=' | '<' | '<=' | '>' | '>=';

export type FilterValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  /** `$NAME`: supplied per request through `filterValues`. */
  | { readonly kind: 'placeholder'; readonly name: string }
  /** `*`: any event type (only in `Interactions.EVENT_TYPE IN (...)`). */
  | { readonly kind: 'any' };

export interface Condition {
  readonly dataset: 'Items' | 'Interactions';
  readonly column: string;
  readonly operator: 'IN' | 'NOT IN' | Comparison;
  readonly values: readonly FilterValue[];
  /** 0-based character offset in the expression text, for error messages. */
  readonly position: number;
}

export interface UserCondition {
  readonly column: string;
  readonly operator: 'IN' | Comparison;
  readonly values: readonly FilterValue[];
  readonly position: number;
}

export interface FilterExpression {
  readonly action: 'INCLUDE' | 'EXCLUDE';
  /** OR of AND-groups: AND binds tighter than OR, as in SQL. */
  readonly anyOf: readonly (readonly Condition[])[];
  /** `IF CurrentUser.…` conditions, all of which must hold for the expression to apply. */
  readonly currentUser: readonly UserCondition[];
  readonly position: number;
}

/** Expressions joined by `|`, in written order (their order does not change the result). */
export interface FilterAst {
  readonly expressions: readonly FilterExpression[];
}
