import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.ts';
import { ItemKnnScorer } from '../../../src/local/algorithms/item-knn.ts';
import { createScorer, SCORER_NAMES } from '../../../src/local/algorithms/registry.ts';
import { Rp3betaScorer } from '../../../src/local/algorithms/rp3beta.ts';
import { UserKnnScorer } from '../../../src/local/algorithms/user-knn.ts';
import { bestNew, checkerboard, historyOf } from './checkerboard.ts';

const data = checkerboard();
const items = data.items.ids.length;
const lacksA0 = ['A1', 'A2', 'A3', 'A4', 'A5'];

const scorers = {
  'item-knn': () => new ItemKnnScorer({ neighbours: 20, shrink: 0 }),
  rp3beta: () => new Rp3betaScorer({ neighbours: 20, alpha: 1, beta: 0.5 }),
  'user-knn': () => new UserKnnScorer({ neighbours: 5, shrink: 0 }),
};

describe.each(Object.entries(scorers))('Scorer: %s', (_, make) => {
  it('recommends the one item of the user community the history lacks, and nothing of the other', () => {
    const scorer = make();
    scorer.fit(data);
    const history = historyOf(data, lacksA0);
    const scores = new Float32Array(items);
    scorer.scoreAll({ userIndex: data.users.indexOf.get('a0')!, history }, scores);
    expect(bestNew(data, scores, history)).toBe('A0');
    for (let i = 0; i < 6; i++) expect(scores[data.items.indexOf.get(`B${i}`)!]).toBe(0);
  });

  it('scores an anonymous history the same way', () => {
    const scorer = make();
    scorer.fit(data);
    const history = historyOf(data, ['B0', 'B2', 'B3']);
    const scores = new Float32Array(items);
    scorer.scoreAll({ history }, scores);
    expect(['B1', 'B4', 'B5']).toContain(bestNew(data, scores, history));
  });

  it('lets recent events dominate when recency decay is high', () => {
    const scorer = make();
    scorer.fit(data);
    scorer.recencyDecay = 3;
    const scores = new Float32Array(items);
    const endsInB = historyOf(data, ['A1', 'A2', 'B1']);
    scorer.scoreAll({ history: endsInB }, scores);
    expect(bestNew(data, scores, endsInB)).toMatch(/^B/);
    const endsInA = historyOf(data, ['B1', 'A1', 'A2']);
    scorer.scoreAll({ history: endsInA }, scores);
    expect(bestNew(data, scores, endsInA)).toMatch(/^A/);
  });

  it('restores from its exported state with identical scores', () => {
    const scorer = make();
    scorer.fit(data);
    const restored = (scorer.constructor as unknown as { restore(s: unknown): typeof scorer }).restore(
      scorer.export(),
    );
    const history = historyOf(data, lacksA0);
    const before = new Float32Array(items);
    const after = new Float32Array(items);
    scorer.scoreAll({ history }, before);
    restored.scoreAll({ history }, after);
    expect(after).toEqual(before);
  });
});

describe('ItemKnnScorer', () => {
  it('computes cosine similarity with shrinkage', () => {
    const scorer = new ItemKnnScorer({ neighbours: 20, shrink: 1 });
    scorer.fit(data);
    // Of 8 community users, a1 and a7 skip A1 and a2 skips A2: A1 has 6 users, A2 has 7, and 5 hold both.
    const sim = scorer.itemSimilarity;
    const a1 = data.items.indexOf.get('A1')!;
    const a2 = data.items.indexOf.get('A2')!;
    const row = sim.indices.subarray(sim.indptr[a1]!, sim.indptr[a1 + 1]!);
    const value = sim.data[sim.indptr[a1]! + row.indexOf(a2)]!;
    expect(value).toBeCloseTo(5 / (Math.sqrt(6) * Math.sqrt(7) + 1), 5);
  });

  it('throws NotFittedError before fit', () => {
    expect(() =>
      new ItemKnnScorer().scoreAll({ history: historyOf(data, []) }, new Float32Array(items)),
    ).toThrow(/not fitted/);
  });
});

describe('registry', () => {
  it('creates every registered scorer by name', () => {
    for (const name of SCORER_NAMES) expect(createScorer(name).name).toBe(name);
  });

  it('fails with InvalidInputError listing the names for an unknown algorithm', () => {
    expect(() => createScorer('nope')).toThrow(InvalidInputError);
    expect(() => createScorer('nope')).toThrow(/item-knn/);
  });
});
