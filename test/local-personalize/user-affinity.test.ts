import { describe, expect, it } from 'vitest';
import { probability, softmaxOf } from '../../src/core/softmax.ts';
import type { HybridModel, ScoreQuery } from '../../src/local/model/types.ts';
import { usersByAffinity } from '../../src/local-personalize/user-affinity.ts';

/** A model whose scores per user are given outright; users with an empty row have no history. */
function fixedModel(scores: Record<string, number[]>): HybridModel {
  const userIds = Object.keys(scores);
  const itemCount = scores[userIds[0]!]!.length;
  return {
    users: { ids: userIds, indexOf: new Map(userIds.map((id, i) => [id, i])) },
    items: {
      ids: Array.from({ length: itemCount }, (_, i) => `i${i}`),
      indexOf: new Map(Array.from({ length: itemCount }, (_, i) => [`i${i}`, i])),
    },
    userHistory: (user: number) => {
      const empty = scores[userIds[user]!]!.every((s) => s === 0);
      return {
        items: empty ? new Int32Array(0) : Int32Array.of(0),
        timestamps: new Float64Array(empty ? 0 : 1),
      };
    },
    scoreAll: (query: ScoreQuery, out: Float32Array) => out.set(scores[userIds[query.userIndex!]!]!),
  } as unknown as HybridModel;
}

describe('Function: softmaxOf', () => {
  it('gives probabilities in (0, 1] that sum to 1, in the order of the scores', () => {
    const scores = [2, 1, 0, 0, -3];
    const softmax = softmaxOf(scores);
    const probabilities = scores.map((s) => probability(s, softmax));
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const p of probabilities) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);
    expect(probability(1000, softmaxOf([1000]))).toBe(1);
  });
});

describe('Function: usersByAffinity', () => {
  it("ranks users by the item's probability among their own scores, not by the raw score", async () => {
    // b scores item 0 higher than a does, but b scores item 1 far higher still: a is likelier to pick item 0.
    const model = fixedModel({ a: [1, 0, 0], b: [1.5, 4, 0], c: [0.5, 0, 0] });
    const [segment] = await usersByAffinity(model, [[0]], 3);
    expect(segment).toEqual(['a', 'c', 'b']);
  });

  it('adds the probabilities of every item of a set, and leaves out users without interactions', async () => {
    const model = fixedModel({ a: [2, 0, 0], b: [1, 1, 1.5], cold: [0, 0, 0] });
    const [one, both] = await usersByAffinity(model, [[0], [1, 2]], 5);
    expect(one).toEqual(['a', 'b']);
    expect(both).toEqual(['b', 'a']);
  });

  it('keeps at most k users per query, best first', async () => {
    const model = fixedModel({ a: [1, 0], b: [3, 0], c: [2, 0] });
    expect(await usersByAffinity(model, [[0]], 2)).toEqual([['b', 'c']]);
  });
});
