import { describe, expect, it } from 'vitest';
import { LiveHistories } from '../../../src/local/recommender/live-histories.ts';

const event = (itemId: string, timestamp: number, eventId?: string) => ({
  itemId,
  eventType: 'view',
  timestamp,
  eventId,
});
const itemsOf = (histories: LiveHistories, id: string) => histories.eventsOf(id).map((e) => e.itemId);

describe('Class: LiveHistories', () => {
  it('keeps the newest events per user, oldest first', () => {
    const histories = new LiveHistories({ maxEventsPerUser: 3 });
    histories.record('s', 'u', [event('a', 1), event('c', 3), event('b', 2)]);
    histories.record('s', 'u', [event('d', 4)]);
    expect(itemsOf(histories, 'u')).toEqual(['b', 'c', 'd']);
  });

  it('tracks at most maxTracked users and sessions, forgetting the least recently used', () => {
    const histories = new LiveHistories({ maxTracked: 2 });
    histories.record('s1', 'a', [event('x', 1)]);
    histories.record('s2', 'b', [event('y', 1)]);
    histories.eventsOf('a');
    histories.record('s3', 'c', [event('z', 1)]);
    expect(histories.tracked).toBe(2);
    expect(itemsOf(histories, 'b')).toEqual([]);
    expect(itemsOf(histories, 'a')).toEqual(['x']);
  });

  it('joins an anonymous session to its user and routes its later anonymous events there', () => {
    const histories = new LiveHistories();
    histories.record('s', undefined, [event('a', 1)]);
    histories.record('s', 'u', [event('b', 2)]);
    histories.record('s', undefined, [event('c', 3)]);
    expect(itemsOf(histories, 'u')).toEqual(['a', 'b', 'c']);
    expect(itemsOf(histories, 's')).toEqual([]);
  });

  it('stores a repeated eventId once', () => {
    const histories = new LiveHistories();
    histories.record('s', 'u', [event('a', 1, 'e1'), event('a', 1, 'e1')]);
    histories.record('s', 'u', [event('a', 2, 'e1'), event('b', 2)]);
    expect(itemsOf(histories, 'u')).toEqual(['a', 'b']);
  });
});
