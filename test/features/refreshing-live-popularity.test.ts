import { describe, expect, it, vi } from 'vitest';
import { refreshingLivePopularity } from '../../src/features/live-popularity.ts';
import type { ScoredItem } from '../../src/features/memory-feature-store.ts';

/** A store whose ranking is a read: counts the reads, answers what `ranking` holds at the time. */
function store(initial: ScoredItem[] = []) {
  const state = { ranking: initial, reads: 0, fail: false };
  return {
    state,
    topItems: async (k: number) => {
      state.reads++;
      if (state.fail) throw new Error('table unavailable');
      return state.ranking.slice(0, k);
    },
  };
}

describe('Function: refreshingLivePopularity', () => {
  it('ranks on the first refresh, reuses the ranking for maxAgeMs, then ranks again', async () => {
    let now = 1000;
    const ranking = store([{ itemId: 'a', score: 2 }]);
    const live = refreshingLivePopularity(ranking, { maxAgeMs: 5000, now: () => now });
    expect(live.source.topItems(10)).toEqual([]);
    await live.refresh();
    expect(live.source.topItems(10)).toEqual([{ itemId: 'a', score: 2 }]);
    ranking.state.ranking = [{ itemId: 'b', score: 9 }];
    now += 4999;
    await live.refresh();
    expect(live.source.topItems(10)).toEqual([{ itemId: 'a', score: 2 }]);
    now += 1;
    await live.refresh();
    expect(live.source.topItems(10)).toEqual([{ itemId: 'b', score: 9 }]);
    expect(ranking.state.reads).toBe(2);
  });

  it('reads depth items and hands the engine at most k of them', async () => {
    const ranking = store(Array.from({ length: 300 }, (_, i) => ({ itemId: `i${i}`, score: 300 - i })));
    const live = refreshingLivePopularity(ranking, { depth: 50 });
    await live.refresh();
    expect(live.source.topItems(200)).toHaveLength(50);
    expect(live.source.topItems(3).map((s) => s.itemId)).toEqual(['i0', 'i1', 'i2']);
  });

  it('shares one read among concurrent refreshes', async () => {
    const ranking = store([{ itemId: 'a', score: 1 }]);
    const live = refreshingLivePopularity(ranking, { maxAgeMs: 0 });
    await Promise.all([live.refresh(), live.refresh(), live.refresh()]);
    expect(ranking.state.reads).toBe(1);
  });

  it('keeps the last ranking and reports the error when a read fails, and tries again next time', async () => {
    const ranking = store([{ itemId: 'a', score: 1 }]);
    const onError = vi.fn();
    const live = refreshingLivePopularity(ranking, { maxAgeMs: 0, onError });
    await live.refresh();
    ranking.state.fail = true;
    await expect(live.refresh()).resolves.toBeUndefined();
    expect(onError).toHaveBeenCalledWith(new Error('table unavailable'));
    expect(live.source.topItems(5)).toEqual([{ itemId: 'a', score: 1 }]);
    ranking.state.fail = false;
    ranking.state.ranking = [{ itemId: 'c', score: 3 }];
    await live.refresh();
    expect(live.source.topItems(5)).toEqual([{ itemId: 'c', score: 3 }]);
  });
});
