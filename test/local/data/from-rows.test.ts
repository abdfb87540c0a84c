import { describe, expect, it } from 'vitest';
import { datasetFromRows } from '../../../src/local/data/from-rows.ts';

describe('datasetFromRows', () => {
  it('builds the same columnar dataset as the CSV loader, cold items included', () => {
    const data = datasetFromRows({
      interactions: [
        { userId: 'u1', itemId: 'i2', timestamp: 10, eventType: 'click', context: { DEVICE: 'mobile' } },
        { userId: 'u2', itemId: 'i1', timestamp: 11, eventType: 'buy', eventValue: 3 },
      ],
      items: [
        { ITEM_ID: 'i1', GENRES: 'a|b', PRICE: 5 },
        { ITEM_ID: 'i3', GENRES: 'b', PRICE: null },
      ],
      users: [{ USER_ID: 'u9', MEMBERSHIP: 'gold' }],
    });
    expect(data.items.ids).toEqual(['i1', 'i3', 'i2']);
    expect(data.users.ids).toEqual(['u9', 'u1', 'u2']);
    expect(data.eventTypes).toEqual(['click', 'buy']);
    expect(Array.from(data.interactions.itemIndex)).toEqual([2, 0]);
    expect(data.interactions.eventValue[1]).toBe(3);
    const device = data.interactions.context![0]!;
    expect(Array.from(device.codes, (c) => device.values[c])).toEqual(['mobile', '']);
    const [genres, price] = data.itemAttributes.columns;
    expect(genres).toMatchObject({ name: 'GENRES', kind: 'categorical', values: [['a', 'b'], ['b'], []] });
    expect(price!.kind).toBe('numeric');
    expect(Array.from(price!.values as Float64Array)).toEqual([5, Number.NaN, Number.NaN]);
  });

  it('uses a single empty event type when rows carry none', () => {
    const data = datasetFromRows({ interactions: [{ userId: 'u', itemId: 'i', timestamp: 1 }] });
    expect(data.eventTypes).toEqual(['']);
    expect(data.interactions.context).toBeUndefined();
  });

  it('fails naming the row and field of a bad interaction', () => {
    expect(() => datasetFromRows({ interactions: [{ userId: 'u', itemId: '', timestamp: 1 }] })).toThrow(
      /interactions\.0\.itemId: must not be empty/,
    );
    expect(() =>
      datasetFromRows({ interactions: [{ userId: 'u', itemId: 'i', timestamp: Number.NaN }] }),
    ).toThrow(/interactions\.0\.timestamp/);
  });
});
