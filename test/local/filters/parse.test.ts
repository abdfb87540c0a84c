import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.ts';
import { parseFilterExpression } from '../../../src/local/filters/parse.ts';

function errorOf(expression: string): InvalidInputError {
  try {
    parseFilterExpression(expression);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error(`expected ${expression} to be rejected`);
}

describe('Function: parseFilterExpression', () => {
  it('parses IN with string values on an Items column', () => {
    const ast = parseFilterExpression('INCLUDE ItemID WHERE Items.GENRES IN ("comedy", "drama")');
    expect(ast.expressions).toEqual([
      {
        action: 'INCLUDE',
        anyOf: [
          [
            {
              dataset: 'Items',
              column: 'GENRES',
              operator: 'IN',
              values: [
                { kind: 'string', value: 'comedy' },
                { kind: 'string', value: 'drama' },
              ],
              position: 21,
            },
          ],
        ],
        currentUser: [],
        position: 0,
      },
    ]);
  });

  it('parses NOT IN, the * wildcard and placeholders on Interactions.EVENT_TYPE', () => {
    const [expression] = parseFilterExpression(
      'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE NOT IN ("click", *, $TYPES)',
    ).expressions;
    expect(expression!.action).toBe('EXCLUDE');
    expect(expression!.anyOf[0]![0]).toMatchObject({
      dataset: 'Interactions',
      operator: 'NOT IN',
      values: [{ kind: 'string', value: 'click' }, { kind: 'any' }, { kind: 'placeholder', name: 'TYPES' }],
    });
  });

  it('parses each comparison with numbers and placeholders', () => {
    for (const operator of ['=', '<', '<=', '>', '>=']) {
      const [expression] = parseFilterExpression(
        `INCLUDE ItemID WHERE Items.PRICE ${operator} 9.5`,
      ).expressions;
      expect(expression!.anyOf[0]![0]).toMatchObject({ operator, values: [{ kind: 'number', value: 9.5 }] });
    }
    const [withPlaceholder] = parseFilterExpression('INCLUDE ItemID WHERE Items.PRICE <= $PRICE').expressions;
    expect(withPlaceholder!.anyOf[0]![0]!.values).toEqual([{ kind: 'placeholder', name: 'PRICE' }]);
  });

  it('groups conditions as OR of AND-groups (AND binds tighter)', () => {
    const [expression] = parseFilterExpression(
      'INCLUDE ItemID WHERE Items.A IN ("1") AND Items.B IN ("2") OR Items.C IN ("3")',
    ).expressions;
    expect(expression!.anyOf.map((group) => group.map((c) => c.column))).toEqual([['A', 'B'], ['C']]);
  });

  it('parses IF CurrentUser conditions joined by AND', () => {
    const [expression] = parseFilterExpression(
      'EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE AND CurrentUser.TIER IN ("gold")',
    ).expressions;
    expect(expression!.currentUser).toMatchObject([
      { column: 'AGE', operator: '=', values: [{ kind: 'placeholder', name: 'AGE' }] },
      { column: 'TIER', operator: 'IN', values: [{ kind: 'string', value: 'gold' }] },
    ]);
  });

  it('splits expressions at | and keeps their order', () => {
    const ast = parseFilterExpression(
      'INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
    );
    expect(ast.expressions.map((e) => e.action)).toEqual(['INCLUDE', 'EXCLUDE']);
  });

  it('reads escaped quotes inside strings', () => {
    const [expression] = parseFilterExpression(
      'INCLUDE ItemID WHERE Items.TITLE IN ("say \\"hi\\"")',
    ).expressions;
    expect(expression!.anyOf[0]![0]!.values).toEqual([{ kind: 'string', value: 'say "hi"' }]);
  });

  it.each([
    ['', /must be 1 to 2500 characters \(got 0\)/],
    [`INCLUDE ItemID WHERE Items.A IN ("${'x'.repeat(2500)}")`, /must be 1 to 2500 characters/],
    ['KEEP ItemID WHERE Items.A IN ("1")', /position 0: expected INCLUDE or EXCLUDE but found "KEEP"/],
    [
      'INCLUDE UserID WHERE Users.A IN ("1")',
      /position 8: UserID filters \(user segments\) are not supported/,
    ],
    ['INCLUDE ItemID Items.A IN ("1")', /position 15: expected WHERE/],
    ['INCLUDE ItemID WHERE Users.A IN ("1")', /position 21: Users conditions .* are not supported/],
    ['INCLUDE ItemID WHERE Foo.A IN ("1")', /position 21: unknown dataset "Foo"/],
    ['INCLUDE ItemID WHERE Interactions.DEVICE IN ("1")', /Interactions.DEVICE is not supported/],
    [
      'INCLUDE ItemID WHERE Interactions.EVENT_TYPE = "click"',
      /position 45: operator = is not supported here; use IN or NOT IN/,
    ],
    ['INCLUDE ItemID WHERE Items.A != "1"', /position 29: unsupported symbol "!="/],
    ['INCLUDE ItemID WHERE (Items.A IN ("1"))', /position 21: parentheses for grouping/],
    ['INCLUDE ItemID WHERE Items.A IN ("1" "2")', /position 37: expected , or \)/],
    ['INCLUDE ItemID WHERE Items.A IN "1"', /expected \( after IN/],
    ['INCLUDE ItemID WHERE Items.A IN (*)', /\* is only allowed in Interactions.EVENT_TYPE/],
    ['INCLUDE ItemID WHERE Items.A IN ("1)', /unterminated string/],
    [
      'INCLUDE ItemID WHERE Items.A IN ("1") AND Interactions.EVENT_TYPE IN ("x")',
      /position 38: AND\/OR may only join conditions on one dataset \(Items\)/,
    ],
    ['INCLUDE ItemID WHERE Items.A IN ("1") IF Items.B IN ("2")', /expected CurrentUser.COLUMN after IF/],
    ['INCLUDE ItemID WHERE Items.A IN ("1") IF CurrentUser.B NOT IN ("2")', /not NOT IN/],
    [
      'INCLUDE ItemID WHERE Items.A IN ("1") IF CurrentUser.B IN ("2") OR CurrentUser.C IN ("3")',
      /only be joined by AND/,
    ],
    ['INCLUDE ItemID WHERE CurrentUser.B IN ("2")', /CurrentUser conditions belong after IF/],
    ['INCLUDE ItemID WHERE Items.A IN ("1") EXCLUDE', /unexpected "EXCLUDE"/],
    ['INCLUDE ItemID WHERE Items.A IN (', /found the end of the expression/],
  ])('rejects %j with an error naming the position and construct', (expression, message) => {
    const error = errorOf(expression);
    expect(error.issues[0]!.field).toBe('filterExpression');
    expect(error.message).toMatch(message);
  });
});
