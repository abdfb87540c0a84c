import { describe, expect, it } from 'vitest';
import { BlendEvaluator, type Candidate } from '../../../src/local/model/blend-evaluator.ts';
import type { TuningSet } from '../../../src/local/model/tuning-set.ts';

const USERS = 12;
const ITEMS = 9;

/** A stand-in tuning set whose "NDCG" of a row is its argmax (first on ties) over the item count. */
const tuning = {
  size: USERS,
  itemCount: ITEMS,
  ndcg: (_: number, row: Float32Array) => row.indexOf(Math.max(...row)) / ITEMS,
} as unknown as TuningSet;

/** Scores in eighths, so every weighted sum below is exact in float32 whatever the order of addition. */
function candidate(seed: number): Candidate {
  const scores = Float32Array.from({ length: USERS * ITEMS }, (_, i) => ((i * 7 + seed * 5) % 9) / 8);
  return { choice: { name: `c${seed}`, options: {}, tuningNdcg: 0 }, scores };
}

describe('BlendEvaluator.sweep', () => {
  const candidates = [candidate(1), candidate(2), candidate(3)];
  const blend = new BlendEvaluator(tuning, candidates);

  it.each([0, 1, 2])('scores each trial weight of component %i as perUser does with that weight', (c) => {
    const weights = [0.5, 0, 2];
    const trials = [0, 0.25, 1, 2];
    const swept = blend.sweep(weights, c, trials);
    trials.forEach((w, t) => {
      expect(Array.from(swept[t]!)).toEqual(
        Array.from(blend.perUser(weights.map((x, i) => (i === c ? w : x)))),
      );
    });
  });

  it('answers nothing for no trials', () => {
    expect(blend.sweep([1, 0, 0], 1, [])).toEqual([]);
  });
});
