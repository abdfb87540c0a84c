import { describe, expect, it } from 'vitest';
import { EaseScorer } from '../../../src/local/algorithms/ease.ts';
import { ItemKnnScorer } from '../../../src/local/algorithms/item-knn.ts';
import { Rp3betaScorer } from '../../../src/local/algorithms/rp3beta.ts';
import type { SparseScorer } from '../../../src/local/algorithms/sparse-scorer.ts';
import { SparseScores } from '../../../src/local/sparse/sparse-scores.ts';
import { checkerboard, historyOf } from './checkerboard.ts';

const data = checkerboard();
const n = data.items.ids.length;

describe('scoreAll of the similarity scorers', () => {
  it.each<[string, SparseScorer]>([
    ['item-knn', new ItemKnnScorer({ neighbours: 4, recencyDecay: 0.3 })],
    ['rp3beta', new Rp3betaScorer({ neighbours: 4, recencyDecay: 0.2 })],
    ['ease', new EaseScorer({ lambda: 5, neighbours: 3, recencyDecay: 0.5 })],
  ])('%s writes exactly its sparse scores, zero elsewhere, past the trained catalogue too', (_, scorer) => {
    scorer.fit(data);
    const history = historyOf(data, ['A1', 'B2', 'A3', 'A0']);
    const sparse = new SparseScores(n + 2);
    scorer.scoreSparse({ history }, sparse);
    const expected = new Float32Array(n + 2);
    sparse.drainInto(expected);
    const dense = new Float32Array(n + 2).fill(7);
    scorer.scoreAll({ history }, dense);
    expect(dense).toEqual(expected);
    expect(dense.some((x) => x !== 0)).toBe(true);
  });

  it('refuses an output shorter than the catalogue it was fitted on', () => {
    const scorer = new ItemKnnScorer();
    scorer.fit(data);
    expect(() => scorer.scoreAll({ history: historyOf(data, ['A1']) }, new Float32Array(n - 1))).toThrow(
      RangeError,
    );
  });
});
