import type { SparseScores } from '../sparse/sparse-scores.ts';

/** Largest value of `scores`, or 0 when none is positive. */
export function maxScore(scores: Float32Array): number {
  let max = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > max) max = scores[i]!;
  return max;
}

/**
 * Moves `weight × scores / max(scores)` into `out` for the items in [from, to), leaving `scores` cleared:
 * blends mix each algorithm scaled to a maximum of 1, so weights mean the same whatever an algorithm's score
 * range. All-zero scores add nothing. Reads only the touched entries of `scores`.
 */
export function moveScaled(
  out: SparseScores,
  scores: SparseScores,
  weight: number,
  from: number,
  to: number,
): void {
  const max = scores.maxIn(from, to);
  if (max > 0) scores.drainScaledInto(out, weight / max, from, to);
  else scores.clear();
}

/** Scales `scores` in place to a maximum of 1 (a no-op when none is positive). */
export function scaleToMax(scores: Float32Array): void {
  const max = maxScore(scores);
  if (max > 0) for (let i = 0; i < scores.length; i++) scores[i] = scores[i]! / max;
}
