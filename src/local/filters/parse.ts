import { InvalidInputError } from '../../errors.ts';
import type {
  Comparison,
  Condition,
  FilterAst,
  FilterExpression,
  FilterValue,
  UserCondition,
} from './ast.ts';
import { positionedError, type Token, tokenize } from './tokenize.ts';

/** Personalize's limit on a filter expression's length (personalize-reference.md §5.4). */
export const FILTER_EXPRESSION_LENGTH = { min: 1, max: 2500 } as const;

const COMPARISONS = new Set<string>(['=', '<', '<=', '>', '>=']);

/** A cursor over the tokens; every error names the position and what was expected there. */
class Parser {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly field: string,
  ) {}

  get current(): Token {
    return this.tokens[this.index]!;
  }

  next(): Token {
    return this.tokens[this.index++]!;
  }

  fail(token: Token, message: string): never {
    throw positionedError(this.field, token.position, message);
  }

  describe(token: Token): string {
    return token.kind === 'end' ? 'the end of the expression' : JSON.stringify(token.text);
  }

  isKeyword(keyword: string, token = this.current): boolean {
    return token.kind === 'word' && token.text.toUpperCase() === keyword;
  }

  expectKeyword(keyword: string): Token {
    const token = this.next();
    if (!this.isKeyword(keyword, token))
      this.fail(token, `expected ${keyword} but found ${this.describe(token)}`);
    return token;
  }

  filter(): FilterAst {
    const expressions = [this.expression()];
    while (this.current.kind === 'pipe') {
      this.next();
      expressions.push(this.expression());
    }
    const rest = this.current;
    if (rest.kind !== 'end') {
      this.fail(
        rest,
        `unexpected ${this.describe(rest)}; conditions are joined by AND or OR, expressions by |`,
      );
    }
    return { expressions };
  }

  expression(): FilterExpression {
    const start = this.next();
    const action = start.text.toUpperCase();
    if (start.kind !== 'word' || (action !== 'INCLUDE' && action !== 'EXCLUDE')) {
      this.fail(start, `expected INCLUDE or EXCLUDE but found ${this.describe(start)}`);
    }
    const target = this.next();
    if (this.isKeyword('USERID', target)) {
      this.fail(target, 'UserID filters (user segments) are not supported; use ItemID');
    }
    if (!this.isKeyword('ITEMID', target))
      this.fail(target, `expected ItemID but found ${this.describe(target)}`);
    this.expectKeyword('WHERE');

    const anyOf: Condition[][] = [[this.condition()]];
    while (this.isKeyword('AND') || this.isKeyword('OR')) {
      const joiner = this.next();
      const condition = this.condition();
      const dataset = anyOf[0]![0]!.dataset;
      if (condition.dataset !== dataset) {
        this.fail(
          joiner,
          `AND/OR may only join conditions on one dataset (${dataset}); combine ${condition.dataset} conditions with |`,
        );
      }
      if (joiner.text.toUpperCase() === 'AND') anyOf.at(-1)!.push(condition);
      else anyOf.push([condition]);
    }

    const currentUser: UserCondition[] = [];
    if (this.isKeyword('IF')) {
      this.next();
      currentUser.push(this.userCondition());
      while (this.isKeyword('AND')) {
        this.next();
        currentUser.push(this.userCondition());
      }
      if (this.isKeyword('OR')) this.fail(this.current, 'IF conditions may only be joined by AND');
    }
    return { action: action as 'INCLUDE' | 'EXCLUDE', anyOf, currentUser, position: start.position };
  }

  columnReference(): { dataset: string; column: string; token: Token } {
    const token = this.next();
    if (token.kind === 'open') this.fail(token, 'parentheses for grouping conditions are not supported');
    const parts = token.kind === 'word' ? token.text.split('.') : [];
    if (parts.length !== 2) {
      this.fail(token, `expected a column such as Items.GENRES but found ${this.describe(token)}`);
    }
    return { dataset: parts[0]!, column: parts[1]!, token };
  }

  condition(): Condition {
    const { dataset, column, token } = this.columnReference();
    if (dataset === 'Users') {
      this.fail(token, 'Users conditions (user segments) are not supported; use IF CurrentUser.COLUMN');
    }
    if (dataset === 'CurrentUser') this.fail(token, 'CurrentUser conditions belong after IF');
    if (dataset !== 'Items' && dataset !== 'Interactions') {
      this.fail(token, `unknown dataset "${dataset}"; expected Items or Interactions`);
    }
    if (dataset === 'Interactions' && column !== 'EVENT_TYPE') {
      this.fail(token, `Interactions.${column} is not supported; only Interactions.EVENT_TYPE is`);
    }
    const operator = this.operator(dataset === 'Items');
    const values = this.values(operator, dataset === 'Interactions');
    return { dataset, column, operator, values, position: token.position };
  }

  userCondition(): UserCondition {
    const { dataset, column, token } = this.columnReference();
    if (dataset !== 'CurrentUser')
      this.fail(token, `expected CurrentUser.COLUMN after IF but found ${token.text}`);
    const operator = this.operator(true);
    if (operator === 'NOT IN')
      this.fail(token, 'IF CurrentUser conditions take IN or a comparison, not NOT IN');
    return { column, operator, values: this.values(operator, false), position: token.position };
  }

  operator(comparisons: boolean): Condition['operator'] {
    const token = this.next();
    if (this.isKeyword('IN', token)) return 'IN';
    if (this.isKeyword('NOT', token)) {
      this.expectKeyword('IN');
      return 'NOT IN';
    }
    if (token.kind === 'operator' && COMPARISONS.has(token.text)) {
      if (!comparisons) this.fail(token, `operator ${token.text} is not supported here; use IN or NOT IN`);
      return token.text as Comparison;
    }
    return this.fail(
      token,
      `expected IN, NOT IN or a comparison (= < <= > >=) but found ${this.describe(token)}`,
    );
  }

  values(operator: Condition['operator'], allowAny: boolean): FilterValue[] {
    if (operator !== 'IN' && operator !== 'NOT IN') return [this.value(false)];
    const open = this.next();
    if (open.kind !== 'open')
      this.fail(open, `expected ( after ${operator} but found ${this.describe(open)}`);
    const values = [this.value(allowAny)];
    while (this.current.kind === 'comma') {
      this.next();
      values.push(this.value(allowAny));
    }
    const close = this.next();
    if (close.kind !== 'close') this.fail(close, `expected , or ) but found ${this.describe(close)}`);
    return values;
  }

  value(allowAny: boolean): FilterValue {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.text };
      case 'number':
        return { kind: 'number', value: Number(token.text) };
      case 'placeholder':
        return { kind: 'placeholder', name: token.text };
      case 'star':
        if (!allowAny) this.fail(token, '* is only allowed in Interactions.EVENT_TYPE IN (...)');
        return { kind: 'any' };
      default:
        return this.fail(
          token,
          `expected a value ("text", a number or $PLACEHOLDER) but found ${this.describe(token)}`,
        );
    }
  }
}

/**
 * Parses a filter expression into its syntax tree; throws InvalidInputError naming `field`, the position and
 * the construct when the text is outside the supported subset.
 */
export function parseFilterExpression(text: string, field = 'filterExpression'): FilterAst {
  const { min, max } = FILTER_EXPRESSION_LENGTH;
  if (text.length < min || text.length > max) {
    throw new InvalidInputError([
      { field, message: `must be ${min} to ${max} characters (got ${text.length})` },
    ]);
  }
  return new Parser(tokenize(text, field), field).filter();
}
