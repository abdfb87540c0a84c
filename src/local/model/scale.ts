/** Largest value of `scores`, or 0 when none is positive. */
export function maxScore(scores: Float32Array): number {
  let max = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > max) max = scores[i]!;
  return max;
}

/**
 * Adds `weight × scores / max(scores)` into `out`: blends mix each algorithm scaled to a maximum of 1, so
 * weights mean the same whatever an algorithm's score range. All-zero scores add nothing.
 */
export function addScaled(out: Float32Array, scores: Float32Array, weight: number): void {
  const max = maxScore(scores);
  if (max <= 0) return;
  const factor = weight / max;
  for (let i = 0; i < scores.length; i++) out[i]! += factor * scores[i]!;
}

/** Scales `scores` in place to a maximum of 1 (a no-op when none is positive). */
export function scaleToMax(scores: Float32Array): void {
  const max = maxScore(scores);
  if (max > 0) for (let i = 0; i < scores.length; i++) scores[i] = scores[i]! / max;
}
