import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random.ts';
import { datasetFromRows, type InteractionRow } from '../../../src/local/data/index.ts';
import { BlendEvaluator, type Candidate } from '../../../src/local/model/blend-evaluator.ts';
import { carveHoldout } from '../../../src/local/model/holdout.ts';
import { TuningSet } from '../../../src/local/model/tuning-set.ts';

const USERS = 40;
const ITEMS = 60;

/** Forty users with 8 to 20 random items each, over 60 items: every tuning user holds some out. */
function tuningSet(): TuningSet {
  const rng = createRng(7);
  const rows: InteractionRow[] = [];
  for (let u = 0; u < USERS; u++) {
    const count = 8 + rng.int(13);
    const items = new Set<number>();
    while (items.size < count) items.add(rng.int(ITEMS));
    let t = 1_000;
    for (const item of items) rows.push({ userId: `u${u}`, itemId: `i${item}`, timestamp: t++ });
  }
  return new TuningSet(carveHoldout(datasetFromRows({ interactions: rows }), USERS, 42));
}

/**
 * Scores in eighths from −1/4 to 3/4, negatives and many ties included, so pooled rankings must follow the
 * whole-row tie rule, and sums with the dyadic weights below are exact in float32 in any order.
 */
function candidate(tuning: TuningSet, seed: number): Candidate {
  const rng = createRng(seed);
  const scores = Float32Array.from({ length: tuning.size * tuning.itemCount }, () => (rng.int(9) - 2) / 8);
  return { choice: { name: `c${seed}`, options: {}, tuningNdcg: 0 }, scores };
}

/** What the blend search computed before pools: every user's whole blended row ranked. */
function wholeRows(
  tuning: TuningSet,
  candidates: readonly Candidate[],
  weights: readonly number[],
): number[] {
  const row = new Float32Array(tuning.itemCount);
  return Array.from({ length: tuning.size }, (_, p) => {
    row.fill(0);
    candidates.forEach((c, k) => {
      if (weights[k] === 0) return;
      for (let i = 0; i < row.length; i++) row[i]! += weights[k]! * c.scores[p * tuning.itemCount + i]!;
    });
    return tuning.ndcg(p, row);
  });
}

describe('BlendEvaluator', () => {
  const tuning = tuningSet();
  const candidates = [candidate(tuning, 1), candidate(tuning, 2), candidate(tuning, 3)];
  const weightings = [
    [1, 0, 0],
    [0.5, 0, 2],
    [0.3, 1, 0.7],
    [0, 0, 0],
  ];

  // Depth 2 leaves most users' top 10 unproven (the whole-row fallback), 12 proves many, 60 holds everything.
  it.each([2, 12, 60])(
    'gives every user the NDCG@10 of ranking the whole blended row (pool depth %i)',
    (depth) => {
      const blend = new BlendEvaluator(tuning, candidates, depth);
      for (const weights of weightings)
        expect(Array.from(blend.perUser(weights))).toEqual(wholeRows(tuning, candidates, weights));
    },
  );

  it.each([2, 12, 60])('scores each trial weight of a sweep as perUser does (pool depth %i)', (depth) => {
    const blend = new BlendEvaluator(tuning, candidates, depth);
    const weights = [0.5, 0, 2];
    const trials = [0, 0.25, 1, 2];
    for (let c = 0; c < candidates.length; c++)
      blend.sweep(weights, c, trials).forEach((swept, t) => {
        const tried = weights.map((x, i) => (i === c ? trials[t]! : x));
        expect(Array.from(swept)).toEqual(Array.from(blend.perUser(tried)));
      });
  });

  it('answers nothing for no trials', () => {
    expect(new BlendEvaluator(tuning, candidates).sweep([1, 0, 0], 1, [])).toEqual([]);
  });
});
