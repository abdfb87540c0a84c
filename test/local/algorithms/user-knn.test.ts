import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random.ts';
import { historyWeights } from '../../../src/local/algorithms/history-weights.ts';
import { UserKnnScorer } from '../../../src/local/algorithms/user-knn.ts';
import { datasetFromRows, type InteractionRow } from '../../../src/local/data/index.ts';
import type { Dataset } from '../../../src/local/data/types.ts';
import type { History } from '../../../src/local/model/types.ts';

const USERS = 60;
const ITEMS = 30;

/** Users with 3–12 items each, drawn with a skew so some items are shared by many users. */
function randomData(seed: number): Dataset {
  const rng = createRng(seed);
  const interactions: InteractionRow[] = [];
  let t = 1_000;
  for (let u = 0; u < USERS; u++) {
    const count = 3 + rng.int(10);
    for (let n = 0; n < count; n++) {
      const item = Math.floor(ITEMS * rng.next() ** 2);
      interactions.push({ userId: `u${u}`, itemId: `i${item}`, timestamp: t++ });
    }
  }
  return datasetFromRows({ interactions });
}

/**
 * The definition, computed naively: the history's events newest first while fewer than `maxPostings`
 * (item, user) postings have been read, cosine with shrinkage against every other user's binary row, the
 * `neighbours` best users, and each of their items scored with the sum of their similarities.
 */
function reference(
  data: Dataset,
  history: History,
  self: number | undefined,
  options: { neighbours: number; shrink: number; recencyDecay: number; maxPostings: number },
): Float64Array {
  const rows = Array.from({ length: USERS }, () => new Set<number>());
  for (let r = 0; r < data.interactions.length; r++)
    rows[data.interactions.userIndex[r]!]!.add(data.interactions.itemIndex[r]!);
  const postingsOf = (item: number) => rows.filter((row) => row.has(item)).length;
  const weights = historyWeights(history, options.recencyDecay);
  const query = new Map<number, number>();
  let queryNorm = 0;
  let postings = 0;
  for (let p = history.items.length - 1; p >= 0 && postings < options.maxPostings; p--) {
    const item = history.items[p]!;
    if (item >= data.items.ids.length) continue;
    postings += postingsOf(item);
    query.set(item, (query.get(item) ?? 0) + weights[p]!);
    queryNorm += weights[p]! ** 2;
  }
  const similarity = rows.map((row, u) => {
    let dot = 0;
    for (const [item, w] of query) if (row.has(item)) dot += w;
    return u === self ? 0 : dot / (Math.sqrt(queryNorm) * Math.sqrt(row.size) + options.shrink);
  });
  const ranked = similarity
    .map((s, u) => ({ s, u }))
    .filter(({ s }) => s > 0)
    .sort((a, b) => b.s - a.s);
  const cut = ranked[options.neighbours - 1]?.s;
  // A tie across the cut-off would leave the neighbours to the implementation's choice.
  if (cut !== undefined && Math.abs((ranked[options.neighbours]?.s ?? 0) - cut) < 1e-9)
    throw new Error(`reference: tie at the ${options.neighbours}-th neighbour`);
  const nearest = ranked.slice(0, options.neighbours);
  const scores = new Float64Array(ITEMS + 1);
  for (const { s, u } of nearest) for (const item of rows[u]!) scores[item]! += s;
  return scores;
}

function historyOf(items: readonly number[]): History {
  return { items: Int32Array.from(items), timestamps: Float64Array.from(items, (_, i) => 2_000 + i) };
}

const data = randomData(7);
const histories = [
  // Repeated items (a view then a purchase), an item added after training (index ITEMS), a single event.
  historyOf([3, 0, 3, 7, 1, 0, 12, ITEMS, 0]),
  historyOf([5, 9, 9, 2, 14, 2, 20]),
  historyOf([1]),
];

describe('UserKnnScorer.scoreSparse', () => {
  const cases = [
    // Every user a neighbour: no tie at the cut-off, so equal weights (many equal similarities) are exact too.
    { neighbours: USERS, shrink: 10, recencyDecay: 0, maxPostings: 20_000 },
    { neighbours: USERS, shrink: 0, recencyDecay: 0, maxPostings: 25 },
    // Few neighbours out of many candidates: the selection's early rejection is exercised.
    { neighbours: 5, shrink: 10, recencyDecay: 0.37, maxPostings: 20_000 },
    { neighbours: 2, shrink: 2, recencyDecay: 0.21, maxPostings: 40 },
  ];
  it.each(cases)('matches the naive definition with %o', (options) => {
    const scorer = new UserKnnScorer(options);
    scorer.fit(data);
    for (const [n, history] of histories.entries()) {
      for (const self of [undefined, n]) {
        const expected = reference(data, history, self, options);
        const scores = new Float32Array(ITEMS + 1);
        scorer.scoreAll({ history, ...(self !== undefined && { userIndex: self }) }, scores);
        for (let i = 0; i < ITEMS; i++) expect(scores[i]).toBeCloseTo(expected[i]!, 5);
        expect(scores[ITEMS]).toBe(0);
      }
    }
  });
});
