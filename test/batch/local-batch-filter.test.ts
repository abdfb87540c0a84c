import { describe, expect, it } from 'vitest';
import { checkLocalBatchFilter, LOCAL_BATCH_FILTER } from '../../src/batch/local/local-batch-filter.ts';
import { InvalidInputError } from '../../src/errors.ts';

describe('checkLocalBatchFilter', () => {
  it('returns the filter to register, or none without an expression', () => {
    expect(checkLocalBatchFilter(undefined, undefined)).toEqual([]);
    const expression =
      'INCLUDE ItemID WHERE Items.GENRES IN ($GENRES) | EXCLUDE ItemID WHERE Items.PRICE > $MAX';
    expect(checkLocalBatchFilter(expression, { GENRES: '"comedy","drama"' })).toEqual([
      { name: LOCAL_BATCH_FILTER, expression },
    ]);
  });

  it('names the placeholder an INCLUDE expression needs, and values that fill none', () => {
    const check = () =>
      checkLocalBatchFilter('INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)', { GENRE: '"comedy"' });
    expect(check).toThrow(InvalidInputError);
    expect(check).toThrow(
      'filterValues.GENRES: is required: an INCLUDE expression uses $GENRES; ' +
        'filterValues.GENRE: fills no placeholder of the filter expression (placeholders: $GENRES)',
    );
  });

  it('rejects values without an expression, badly encoded values and values over 1000 characters', () => {
    expect(() => checkLocalBatchFilter(undefined, { GENRES: '"comedy"' })).toThrow(
      /^filterValues: placeholder values need a filter expression that uses them/,
    );
    const expression = 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES)';
    expect(() => checkLocalBatchFilter(expression, { GENRES: 'comedy' })).toThrow(
      /^filterValues\.GENRES: must be a comma-separated list of double-quoted values/,
    );
    expect(() => checkLocalBatchFilter(expression, { GENRES: `"${'x'.repeat(1000)}"` })).toThrow(
      /^filterValues\.GENRES: must be at most 1000 characters \(got 1002\)/,
    );
  });

  it('names the position of a syntax error', () => {
    expect(() => checkLocalBatchFilter('EXCLUDE ItemID WHERE', undefined)).toThrow(
      /^filterExpression: at position/,
    );
  });
});
