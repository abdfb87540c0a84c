import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/core/seeded-random.ts';
import { InvalidInputError } from '../../../src/errors.ts';
import { ItemKnnScorer } from '../../../src/local/algorithms/item-knn.ts';
import {
  ITEM_TRANSITIONS_FAST_GRID,
  ITEM_TRANSITIONS_GRID,
  ItemTransitionsScorer,
  itemTransitionsAlgorithm,
} from '../../../src/local/algorithms/item-transitions.ts';
import { datasetFromRows, type InteractionRow } from '../../../src/local/data/index.ts';
import type { Dataset } from '../../../src/local/data/types.ts';
import { readArtifact, writeArtifact } from '../../../src/local/model/artifact.ts';
import type { Scorer } from '../../../src/local/model/types.ts';
import { bestNew, historyOf } from './checkerboard.ts';

const CHAINS = 8;
const LENGTH = 4;
const chainItem = (c: number, s: number) => `c${c}s${s}`;

/**
 * Sessions that walk one chain c·s0 → c·s1 → c·s2 → c·s3 in order, a fifth of them with a random item of
 * another chain slipped in. Every chain item co-occurs with the others equally, so only the order tells
 * which one comes next.
 */
function chainSessions(sessions: number, seed: number): Dataset {
  const random = seededRandom(seed);
  const interactions: InteractionRow[] = [];
  for (let s = 0; s < sessions; s++) {
    const c = s % CHAINS;
    const items = Array.from({ length: LENGTH }, (_, step) => chainItem(c, step));
    if (random() < 0.2) {
      const other = (c + 1 + Math.floor(random() * (CHAINS - 1))) % CHAINS;
      items.splice(Math.floor(random() * (LENGTH + 1)), 0, chainItem(other, Math.floor(random() * LENGTH)));
    }
    items.forEach((itemId, t) => {
      interactions.push({ userId: `s${s}`, itemId, timestamp: 1_000 + t });
    });
  }
  return datasetFromRows({ interactions });
}

/** Share of chain prefixes (anonymous sessions) whose true next item the scorer ranks first. */
function nextItemHitRate(scorer: Scorer, data: Dataset): number {
  const scores = new Float32Array(data.items.ids.length);
  let hits = 0;
  let prefixes = 0;
  for (let c = 0; c < CHAINS; c++)
    for (let k = 1; k < LENGTH; k++) {
      const history = historyOf(
        data,
        Array.from({ length: k }, (_, s) => chainItem(c, s)),
      );
      scorer.scoreAll({ history }, scores);
      if (bestNew(data, scores, history) === chainItem(c, k)) hits++;
      prefixes++;
    }
  return hits / prefixes;
}

describe('Class: ItemTransitionsScorer', () => {
  const data = chainSessions(400, 1);

  it('ranks the true next item of an anonymous session first, where item-kNN cannot tell the order', () => {
    const transitions = new ItemTransitionsScorer();
    transitions.fit(data);
    const knn = new ItemKnnScorer({ neighbours: 50, shrink: 10 });
    knn.fit(data);
    const ours = nextItemHitRate(transitions, data);
    expect(ours).toBe(1);
    expect(nextItemHitRate(knn, data)).toBeLessThan(ours);
  });

  it('scores a known user by the same history as an anonymous session', () => {
    const scorer = new ItemTransitionsScorer();
    scorer.fit(data);
    const history = historyOf(data, [chainItem(2, 0), chainItem(2, 1)]);
    const anonymous = new Float32Array(data.items.ids.length);
    const known = new Float32Array(data.items.ids.length);
    scorer.scoreAll({ history }, anonymous);
    scorer.scoreAll({ userIndex: 0, history }, known);
    expect(known).toEqual(anonymous);
  });

  it('lets the newest events vote and ignores those beyond the lookback', () => {
    const scorer = new ItemTransitionsScorer({ lookback: 2 });
    scorer.fit(data);
    const recent = [chainItem(3, 0), chainItem(3, 1)];
    const longer = historyOf(data, [chainItem(0, 0), chainItem(1, 0), ...recent]);
    const short = historyOf(data, recent);
    const a = new Float32Array(data.items.ids.length);
    const b = new Float32Array(data.items.ids.length);
    scorer.scoreAll({ history: longer }, a);
    scorer.scoreAll({ history: short }, b);
    expect(a).toEqual(b);
    expect(bestNew(data, a, longer)).toBe(chainItem(3, 2));
  });

  it('counts no transition across a pause longer than the session gap', () => {
    const paused = datasetFromRows({
      interactions: [
        { userId: 'u', itemId: 'a', timestamp: 0 },
        { userId: 'u', itemId: 'b', timestamp: 10 },
        { userId: 'u', itemId: 'c', timestamp: 10_000 },
      ],
    });
    const scorer = new ItemTransitionsScorer({ sessionGap: 3_600 });
    scorer.fit(paused);
    const followers = scorer.itemFollowers;
    const of = (id: string) => {
      const row = paused.items.indexOf.get(id)!;
      return [...followers.indices.subarray(followers.indptr[row]!, followers.indptr[row + 1]!)].map(
        (i) => paused.items.ids[i],
      );
    };
    expect(of('a')).toEqual(['b']);
    expect(of('b')).toEqual([]);
  });

  it('scores identically after export and restore', () => {
    const scorer = new ItemTransitionsScorer({ window: 2, neighbours: 3, recencyDecay: 0.3 });
    scorer.fit(data);
    const state = scorer.export();
    // Through the artifact bytes, as a saved model is.
    const loaded = readArtifact<typeof state.header>(writeArtifact(state));
    const restored = ItemTransitionsScorer.restore(loaded);
    expect(restored.export().header).toEqual(state.header);
    const history = historyOf(data, [chainItem(5, 0), chainItem(1, 1)]);
    const before = new Float32Array(data.items.ids.length);
    const after = new Float32Array(data.items.ids.length);
    scorer.scoreAll({ history }, before);
    restored.scoreAll({ history }, after);
    expect(after).toEqual(before);
    expect(before.some((s) => s > 0)).toBe(true);
  });

  it.each([
    ['window', { window: 0 }],
    ['distanceDecay', { distanceDecay: 1.5 }],
    ['shrink', { shrink: -1 }],
    ['neighbours', { neighbours: 2.5 }],
    ['lookback', { lookback: 0 }],
    ['recencyDecay', { recencyDecay: Number.POSITIVE_INFINITY }],
    ['sessionGap', { sessionGap: -5 }],
  ])('rejects a bad %s with an InvalidInputError naming it', (field, options) => {
    let caught: unknown;
    try {
      new ItemTransitionsScorer(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).issues.map((i) => i.field)).toEqual([field]);
  });

  it('offers tuning grids of valid options', () => {
    for (const options of [...ITEM_TRANSITIONS_GRID, ...ITEM_TRANSITIONS_FAST_GRID])
      expect(() => new ItemTransitionsScorer(options)).not.toThrow();
    expect(itemTransitionsAlgorithm.create({}).name).toBe(itemTransitionsAlgorithm.name);
  });
});
