import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.ts';
import type { AttributeTable, IdIndex } from '../../../src/local/data/types.ts';
import { AttributeStore } from '../../../src/local/filters/attribute-store.ts';
import { compileFilter, type FilterContext } from '../../../src/local/filters/compile.ts';
import { decodeFilterValue } from '../../../src/local/filters/filter-values.ts';
import { recentInteractions } from '../../../src/local/filters/recent-interactions.ts';

const index = (ids: string[]): IdIndex => ({ ids, indexOf: new Map(ids.map((id, i) => [id, i])) });

// i0 comedy 5.0, i1 drama 15, i2 comedy|drama 25, i3 horror (no price), i4 no genre 50
const itemTable: AttributeTable = {
  columns: [
    {
      name: 'GENRES',
      kind: 'categorical',
      values: [['comedy'], ['drama'], ['comedy', 'drama'], ['horror'], []],
    },
    { name: 'PRICE', kind: 'numeric', values: Float64Array.from([5, 15, 25, Number.NaN, 50]) },
    { name: 'DESCRIPTION', kind: 'textual', values: ['a', 'b', 'c', null, 'e'] },
  ],
};
const userTable: AttributeTable = {
  columns: [
    { name: 'TIER', kind: 'categorical', values: [['gold'], ['basic']] },
    { name: 'AGE', kind: 'numeric', values: Float64Array.from([30, 17]) },
  ],
};

function catalog() {
  return {
    items: AttributeStore.from(index(['i0', 'i1', 'i2', 'i3', 'i4']), itemTable),
    users: AttributeStore.from(index(['gold-user', 'basic-user']), userTable),
  };
}

function excludedBy(expression: string, context: Partial<FilterContext> = {}): number[] {
  const filter = compileFilter('f', expression, catalog());
  const mask = filter.exclusionMask({ itemCount: 5, interactions: () => [], userRow: undefined, ...context });
  return [...mask.keys()].filter((i) => mask[i] === 1);
}

const history = recentInteractions([
  { item: 0, eventType: 'CLICK' },
  { item: 1, eventType: 'purchase' },
  { item: 4, eventType: 'click' },
]);

describe('Function: compileFilter', () => {
  describe('Method: exclusionMask', () => {
    it('INCLUDE keeps only items holding one of the values', () => {
      expect(excludedBy('INCLUDE ItemID WHERE Items.GENRES IN ("comedy")')).toEqual([1, 3, 4]);
    });

    it('EXCLUDE drops the items holding one of the values', () => {
      expect(excludedBy('EXCLUDE ItemID WHERE Items.GENRES IN ("comedy", "horror")')).toEqual([0, 2, 3]);
    });

    it('NOT IN matches items without any of the values, items without a value included', () => {
      expect(excludedBy('INCLUDE ItemID WHERE Items.GENRES NOT IN ("comedy")')).toEqual([0, 2]);
    });

    it('compares numeric columns; items without a value never match a comparison', () => {
      expect(excludedBy('INCLUDE ItemID WHERE Items.PRICE <= 15')).toEqual([2, 3, 4]);
      expect(excludedBy('INCLUDE ItemID WHERE Items.PRICE > 15')).toEqual([0, 1, 3]);
      expect(excludedBy('INCLUDE ItemID WHERE Items.PRICE = 25')).toEqual([0, 1, 3, 4]);
      expect(excludedBy('INCLUDE ItemID WHERE Items.PRICE IN (5, 50)')).toEqual([1, 2, 3]);
    });

    it('applies AND within a group and OR across groups', () => {
      expect(
        excludedBy('INCLUDE ItemID WHERE Items.GENRES IN ("drama") AND Items.PRICE > 20 OR Items.PRICE < 10'),
      ).toEqual([1, 3, 4]);
    });

    it('matches Interactions.EVENT_TYPE ignoring case, with * for any type', () => {
      const interactions = () => history;
      expect(
        excludedBy('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("Click")', { interactions }),
      ).toEqual([0, 4]);
      expect(excludedBy('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")', { interactions })).toEqual([
        0, 1, 4,
      ]);
      expect(
        excludedBy('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE NOT IN ("click")', { interactions }),
      ).toEqual([1]);
    });

    it('combines | parts as (∪ INCLUDE) − (∪ EXCLUDE)', () => {
      const interactions = () => history;
      expect(
        excludedBy(
          'INCLUDE ItemID WHERE Items.GENRES IN ("comedy") | INCLUDE ItemID WHERE Items.PRICE >= 50 | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
          { interactions },
        ),
      ).toEqual([0, 1, 3, 4]);
      expect(
        excludedBy(
          'EXCLUDE ItemID WHERE Items.GENRES IN ("comedy") | EXCLUDE ItemID WHERE Items.PRICE >= 50',
        ),
      ).toEqual([0, 2, 4]);
    });

    it('expands placeholders from filterValues in Personalize encoding', () => {
      const genres = { filterValues: { GENRES: '"drama","horror"' } };
      const max = { filterValues: { MAX: '"20"' } };
      expect(excludedBy('INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)', genres)).toEqual([0, 4]);
      expect(excludedBy('INCLUDE ItemID WHERE Items.PRICE < $MAX', max)).toEqual([2, 3, 4]);
    });

    it('fails on values no placeholder uses, naming them and the placeholders', () => {
      const filterValues = { GENRES: '"drama"', GENRE: '"horror"' };
      expect(() => excludedBy('INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)', { filterValues })).toThrow(
        'filterValues.GENRE: fills no placeholder of the filter expression (placeholders: $GENRES)',
      );
    });

    it('fails when an INCLUDE placeholder has no value, naming the placeholder', () => {
      expect(() => excludedBy('INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)')).toThrow(
        /filterValues.GENRES: is required by the filter/,
      );
    });

    it('skips an EXCLUDE part whose placeholder has no value', () => {
      expect(
        excludedBy('EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES) | EXCLUDE ItemID WHERE Items.PRICE > 20'),
      ).toEqual([2, 4]);
    });

    it('fails when a comparison placeholder is not exactly one number', () => {
      const run = (MAX: string) =>
        excludedBy('INCLUDE ItemID WHERE Items.PRICE < $MAX', { filterValues: { MAX } });
      expect(() => run('"1","2"')).toThrow(/filterValues.MAX: must be exactly one number for Items.PRICE </);
      expect(() => run('"cheap"')).toThrow(InvalidInputError);
    });

    it('applies an expression only when its IF CurrentUser conditions hold', () => {
      const expression = 'EXCLUDE ItemID WHERE Items.GENRES IN ("horror") IF CurrentUser.AGE < $ADULT';
      const filterValues = { ADULT: '18' };
      expect(excludedBy(expression, { filterValues, userRow: 1 })).toEqual([3]);
      expect(excludedBy(expression, { filterValues, userRow: 0 })).toEqual([]);
      expect(excludedBy(expression, { filterValues, userRow: undefined })).toEqual([]);
      expect(
        excludedBy('INCLUDE ItemID WHERE Items.PRICE > 40 IF CurrentUser.TIER IN ("gold")', { userRow: 0 }),
      ).toEqual([0, 1, 2, 3]);
    });

    it('ignores items beyond the mask and reflects later catalogue updates', () => {
      const stores = catalog();
      const filter = compileFilter('f', 'INCLUDE ItemID WHERE Items.GENRES IN ("drama")', stores);
      stores.items.upsert('i1', { GENRES: 'comedy' });
      stores.items.upsert('i5', { GENRES: 'drama|family', PRICE: 3 });
      const mask = filter.exclusionMask({ itemCount: 6, interactions: () => [], userRow: undefined });
      expect(Array.from(mask)).toEqual([1, 1, 0, 1, 1, 0]);
    });
  });

  it.each([
    [
      'INCLUDE ItemID WHERE Items.COLOR IN ("red")',
      /position 21: Items.COLOR is not a column .*GENRES, PRICE, DESCRIPTION/,
    ],
    [
      'INCLUDE ItemID WHERE Items.DESCRIPTION IN ("a")',
      /Items.DESCRIPTION is textual; textual fields are not filterable/,
    ],
    ['INCLUDE ItemID WHERE Items.GENRES < 3', /Items.GENRES < needs a numeric column/],
    ['INCLUDE ItemID WHERE Items.PRICE IN ("cheap")', /Items.PRICE is numeric; compare it with numbers/],
    [
      'INCLUDE ItemID WHERE Items.PRICE > 1 IF CurrentUser.REGION IN ("eu")',
      /CurrentUser.REGION is not a column/,
    ],
  ])('fails at creation for %j', (expression, message) => {
    expect(() => compileFilter('f', expression, catalog())).toThrow(message);
  });
});

describe('Function: decodeFilterValue', () => {
  it('reads quoted lists, escaped quotes and bare numbers', () => {
    expect(decodeFilterValue('G', '"comedy","drama"')).toEqual(['comedy', 'drama']);
    expect(decodeFilterValue('G', ' "a \\"b\\"" , "c,d"')).toEqual(['a "b"', 'c,d']);
    expect(decodeFilterValue('P', '20')).toEqual(['20']);
  });

  it('fails naming the placeholder for text outside the encoding', () => {
    expect(() => decodeFilterValue('GENRES', 'comedy')).toThrow(
      /filterValues.GENRES: must be a comma-separated list/,
    );
    expect(() => decodeFilterValue('GENRES', '"a","b" x')).toThrow(/bad text at character 4/);
  });
});

describe('Function: recentInteractions', () => {
  it('keeps the newest interactions per event type, lower-cased', () => {
    const events = [
      { item: 1, eventType: 'Click' },
      { item: 2, eventType: 'click' },
      { item: 3, eventType: 'view' },
      { item: 4, eventType: 'CLICK' },
    ];
    expect(recentInteractions(events, 2)).toEqual([
      { item: 1, eventType: 'click' },
      { item: 2, eventType: 'click' },
      { item: 3, eventType: 'view' },
    ]);
  });
});
