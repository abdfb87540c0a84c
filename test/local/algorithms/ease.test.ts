import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/core/seeded-random.ts';
import { InvalidInputError } from '../../../src/errors.ts';
import { EASE_FAST_GRID, EASE_GRID, EaseScorer, easeAlgorithm } from '../../../src/local/algorithms/ease.ts';
import { easeInItemSpace, easeInUserSpace } from '../../../src/local/algorithms/ease-exact.ts';
import { easeNeighbourhood } from '../../../src/local/algorithms/ease-neighbourhood.ts';
import { userItemMatrix } from '../../../src/local/algorithms/interaction-matrix.ts';
import { invertSpdInPlace } from '../../../src/local/algorithms/linalg/spd-inverse.ts';
import { scoreDenseFromSimilarity } from '../../../src/local/algorithms/similarity-scoring.ts';
import { datasetFromRows, type InteractionRow } from '../../../src/local/data/index.ts';
import type { Dataset } from '../../../src/local/data/types.ts';
import { readArtifact, writeArtifact } from '../../../src/local/model/artifact.ts';
import type { History } from '../../../src/local/model/types.ts';
import type { Csr } from '../../../src/local/sparse/csr.ts';
import { SparseScores } from '../../../src/local/sparse/sparse-scores.ts';
import { bestNew, checkerboard, historyOf } from './checkerboard.ts';

/** A random SPD matrix: GᵀG over more rows than columns, plus a small ridge. */
function randomSpd(n: number, random: () => number): Float64Array {
  const rows = n + 5;
  const g = Float64Array.from({ length: rows * n }, () => random() - 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? 0.1 : 0;
      for (let r = 0; r < rows; r++) s += g[r * n + i]! * g[r * n + j]!;
      a[i * n + j] = s;
    }
  return a;
}

/** Textbook Gauss-Jordan with partial pivoting on [A | I]. */
function gaussJordanInverse(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[pivot * n + c]!)) pivot = r;
    for (let k = 0; k < n; k++) {
      [m[c * n + k], m[pivot * n + k]] = [m[pivot * n + k]!, m[c * n + k]!];
      [inv[c * n + k], inv[pivot * n + k]] = [inv[pivot * n + k]!, inv[c * n + k]!];
    }
    const d = m[c * n + c]!;
    for (let k = 0; k < n; k++) {
      m[c * n + k]! /= d;
      inv[c * n + k]! /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c]!;
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        m[r * n + k]! -= f * m[c * n + k]!;
        inv[r * n + k]! -= f * inv[c * n + k]!;
      }
    }
  }
  return inv;
}

function maxRelativeGap(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  let gap = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    gap = Math.max(gap, Math.abs(a[i]! - b[i]!));
  }
  return gap / scale;
}

/** Dense copy of a CSR matrix. */
function dense(m: Csr): Float64Array {
  const out = new Float64Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++)
    for (let e = m.indptr[r]!; e < m.indptr[r + 1]!; e++) out[r * m.cols + m.indices[e]!] = m.data[e]!;
  return out;
}

/**
 * Users in `groups` taste communities over `items` items: each user takes 60% of their community's items and
 * a few random others, so co-occurrence is structured but noisy.
 */
function communities(users: number, items: number, groups: number, seed: number): Dataset {
  const random = seededRandom(seed);
  const interactions: InteractionRow[] = [];
  const perGroup = items / groups;
  for (let u = 0; u < users; u++) {
    const group = u % groups;
    const taken = new Set<number>();
    for (let i = 0; i < perGroup; i++) if (random() < 0.6) taken.add(group * perGroup + i);
    for (let extra = 0; extra < 3; extra++) taken.add(Math.floor(random() * items));
    let t = 1_000;
    for (const item of taken) interactions.push({ userId: `u${u}`, itemId: `i${item}`, timestamp: t++ });
  }
  return datasetFromRows({ interactions });
}

/** A user's training events as a history, oldest first. */
function historyOfUser(data: Dataset, user: number): History {
  const { userIndex, itemIndex, timestamp, length } = data.interactions;
  const rows = Array.from({ length }, (_, r) => r).filter((r) => userIndex[r] === user);
  return {
    items: Int32Array.from(rows, (r) => itemIndex[r]!),
    timestamps: Float64Array.from(rows, (r) => timestamp[r]!),
  };
}

function topIds(scores: Float32Array, history: History, k: number): number[] {
  const seen = new Set(history.items);
  return [...scores.keys()]
    .filter((i) => !seen.has(i))
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k);
}

describe('Function: invertSpdInPlace', () => {
  it.each([1, 2, 5, 63, 64, 65, 130, 200])('matches Gauss-Jordan on a random SPD matrix of size %i', (n) => {
    const a = randomSpd(n, seededRandom(n));
    const expected = gaussJordanInverse(a, n);
    invertSpdInPlace(a, n);
    expect(maxRelativeGap(a, expected)).toBeLessThan(1e-9);
  });

  it('rejects a matrix that is not positive definite', () => {
    const a = Float64Array.from([1, 2, 2, 1]);
    expect(() => invertSpdInPlace(a, 2)).toThrow(InvalidInputError);
  });
});

describe('Class: EaseScorer', () => {
  it('recommends the one community item the history lacks, and nothing of the other community', () => {
    const data = checkerboard();
    const scorer = new EaseScorer({ lambda: 1 });
    scorer.fit(data);
    const history = historyOf(data, ['A1', 'A2', 'A3', 'A4', 'A5']);
    const scores = new Float32Array(data.items.ids.length);
    scorer.scoreAll({ history }, scores);
    expect(bestNew(data, scores, history)).toBe('A0');
    for (let i = 0; i < 6; i++)
      expect(Math.abs(scores[data.items.indexOf.get(`B${i}`)!]!)).toBeLessThan(1e-6);
  });

  it('solves the same weights in item space and in user space', () => {
    const x = userItemMatrix(communities(40, 30, 3, 1));
    const byItems = dense(easeInItemSpace(x, 5, 0).weights);
    const byUsers = dense(easeInUserSpace(x, 5, 0).weights);
    expect(maxRelativeGap(Float64Array.from(byUsers), byItems)).toBeLessThan(1e-5);
  });

  it('keeps at most `neighbours` weights per scored item, the largest in magnitude', () => {
    const x = userItemMatrix(communities(60, 40, 4, 2));
    const all = dense(easeInUserSpace(x, 10, 0).weights);
    const cut = easeInUserSpace(x, 10, 5);
    const kept = dense(cut.weights);
    const n = x.cols;
    for (let j = 0; j < n; j++) {
      const column = Array.from({ length: n }, (_, i) => all[i * n + j]!);
      const nonZero = column.filter((w) => w !== 0).length;
      // Stored weights are shifted by the column's dropped mean; undo that to compare magnitudes.
      const keptColumn = Array.from({ length: n }, (_, i) =>
        kept[i * n + j] === 0 ? 0 : kept[i * n + j]! + cut.dropped[j]!,
      );
      const droppedWeights = column.filter((_w, i) => i !== j && keptColumn[i] === 0);
      const mean = droppedWeights.reduce((sum, w) => sum + w, 0) / droppedWeights.length;
      expect(cut.dropped[j]).toBeCloseTo(mean, 5);
      expect(keptColumn.filter((w) => w !== 0).length).toBe(Math.min(5, nonZero));
      const smallestKept = Math.min(...keptColumn.filter((w) => w !== 0).map(Math.abs));
      const largestDropped = Math.max(0, ...column.filter((_, i) => keptColumn[i] === 0).map(Math.abs));
      expect(smallestKept).toBeGreaterThanOrEqual(largestDropped - 1e-6);
    }
  });

  it('approximates exact EASE by neighbourhood regressions (top-10 overlap)', () => {
    const data = communities(300, 120, 4, 3);
    const x = userItemMatrix(data);
    const exact = new EaseScorer({ lambda: 20, neighbours: 0 });
    exact.fit(data);
    const approximate = new EaseScorer({ lambda: 20, neighbours: 0, denseLimit: 0, regressors: 40 });
    approximate.fit(data);
    expect(easeNeighbourhood(x, 20, 0, 40, 40).weights.indices.length).toBeLessThanOrEqual(120 * 40);
    const a = new Float32Array(x.cols);
    const b = new Float32Array(x.cols);
    let overlap = 0;
    const users = 30;
    for (let u = 0; u < users; u++) {
      const items = x.indices.slice(x.indptr[u]!, x.indptr[u + 1]!);
      const history = { items, timestamps: new Float64Array(items.length) };
      exact.scoreAll({ history }, a);
      approximate.scoreAll({ history }, b);
      const top = new Set(topIds(a, history, 10));
      overlap += topIds(b, history, 10).filter((i) => top.has(i)).length;
    }
    expect(overlap / users).toBeGreaterThanOrEqual(8);
  });

  it('scores identically after export and restore', () => {
    const data = communities(50, 30, 3, 4);
    const scorer = new EaseScorer({ lambda: 8, neighbours: 10, recencyDecay: 0.2 });
    scorer.fit(data);
    const state = scorer.export();
    // Through the artifact bytes, as a saved model is.
    const loaded = readArtifact<typeof state.header>(writeArtifact(state));
    const restored = EaseScorer.restore(loaded);
    expect(restored.export().header).toEqual(state.header);
    const history = historyOf(data, ['i1', 'i4', 'i7', 'i20']);
    const before = new Float32Array(30);
    const after = new Float32Array(30);
    scorer.scoreAll({ history }, before);
    restored.scoreAll({ history }, after);
    expect(after).toEqual(before);
    expect(before.some((s) => s !== 0)).toBe(true);
  });

  describe('on a catalogue wider than its audience (the factored user-space model)', () => {
    // 30 users over 80 items: the user-space route, cheap enough per query to stay factored.
    const data = communities(30, 80, 4, 5);
    const history: History = {
      items: Int32Array.from(['i3', 'i7', 'i3', 'i50', 'i21'], (id) => data.items.indexOf.get(id)!),
      timestamps: Float64Array.from([1, 2, 3, 4, 5]),
    };

    it('scores a history exactly as every weight of B would, recency and repeats included', () => {
      const scorer = new EaseScorer({ lambda: 6, recencyDecay: 0.3 });
      scorer.fit(data);
      expect(scorer.export().header).toMatchObject({ form: 'factored', users: 30, items: 80 });
      const b = easeInItemSpace(userItemMatrix(data), 6, 0);
      const expected = new Float32Array(80);
      scoreDenseFromSimilarity(b.weights, history, 0.3, expected);
      const scores = new Float32Array(80);
      scorer.scoreAll({ history }, scores);
      expect(maxRelativeGap(Float64Array.from(scores), Float64Array.from(expected))).toBeLessThan(1e-4);
      const sparse = new SparseScores(80);
      scorer.scoreSparse({ history }, sparse);
      const drained = new Float32Array(80);
      sparse.drainInto(drained);
      expect(drained).toEqual(scores);
    });

    it('scores a batch (scoreEach) exactly as one query at a time', () => {
      const scorer = new EaseScorer({ lambda: 6, recencyDecay: 0.2 });
      scorer.fit(data);
      // Seven users' histories: one block of four and a remainder of three.
      const queries = Array.from({ length: 7 }, (_, u) => ({ history: historyOfUser(data, u) }));
      const rows = queries.map(() => new Float32Array(82).fill(9));
      scorer.scoreEach(queries, rows);
      queries.forEach((query, q) => {
        const one = new Float32Array(82);
        scorer.scoreAll(query, one);
        expect(rows[q]).toEqual(one);
      });
      expect(rows[0]!.some((s) => s !== 0)).toBe(true);
    });

    it('scores identically after export and restore', () => {
      const scorer = new EaseScorer({ lambda: 6 });
      scorer.fit(data);
      const state = scorer.export();
      const restored = EaseScorer.restore(readArtifact<typeof state.header>(writeArtifact(state)));
      const before = new Float32Array(80);
      const after = new Float32Array(80);
      scorer.scoreAll({ history }, before);
      restored.scoreAll({ history }, after);
      expect(after).toEqual(before);
      expect(before.some((s) => s !== 0)).toBe(true);
    });

    it('refuses a saved factored model whose arrays do not match its header', () => {
      const scorer = new EaseScorer({ lambda: 6 });
      scorer.fit(data);
      const state = scorer.export();
      const cut = { ...state, arrays: { ...state.arrays, diagonal: new Float32Array(3) } };
      expect(() => EaseScorer.restore(cut)).toThrow(InvalidInputError);
    });
  });

  it.each([
    ['lambda', { lambda: 0 }],
    ['neighbours', { neighbours: -1 }],
    ['recencyDecay', { recencyDecay: Number.NaN }],
    ['denseLimit', { denseLimit: 1.5 }],
    ['regressors', { regressors: 0 }],
  ])('rejects a bad %s with an InvalidInputError naming it', (field, options) => {
    let caught: unknown;
    try {
      new EaseScorer(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).issues.map((i) => i.field)).toEqual([field]);
  });

  it('offers tuning grids of valid options', () => {
    for (const options of [...EASE_GRID, ...EASE_FAST_GRID])
      expect(() => new EaseScorer(options)).not.toThrow();
    expect(easeAlgorithm.create({}).name).toBe(easeAlgorithm.name);
  });
});
