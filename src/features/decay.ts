/**
 * Time-decayed sums (every event weighs `weight · 2^(-age / halfLife)`) kept without rewriting old values:
 * each event adds `weight · 2^((t - ref) / halfLife)` to the term of its reference time `ref`, the start of
 * its period of 32 half-lives. A stored value therefore stays below 2^32 · weight (DynamoDB's ADD can keep
 * it), and the score at `now` is Σ value · 2^((ref - now) / halfLife).
 */
const PERIOD_HALF_LIVES = 32;
/** Terms this many half-lives old add less than 2^-32 of a weight: dropped. */
const STALE_HALF_LIVES = 2 * PERIOD_HALF_LIVES;

export function decayTerm(
  seconds: number,
  weight: number,
  halfLifeSeconds: number,
): { ref: number; value: number } {
  const period = PERIOD_HALF_LIVES * halfLifeSeconds;
  const ref = Math.floor(seconds / period) * period;
  return { ref, value: weight * 2 ** ((seconds - ref) / halfLifeSeconds) };
}

export const isStaleTerm = (ref: number, nowSeconds: number, halfLifeSeconds: number) =>
  ref < nowSeconds - STALE_HALF_LIVES * halfLifeSeconds;

/** The decayed sum at `nowSeconds` of terms `[ref, value]`. */
export function decayedScore(
  terms: Iterable<readonly [number, number]>,
  nowSeconds: number,
  halfLifeSeconds: number,
): number {
  let score = 0;
  for (const [ref, value] of terms) {
    if (!isStaleTerm(ref, nowSeconds, halfLifeSeconds))
      score += value * 2 ** ((ref - nowSeconds) / halfLifeSeconds);
  }
  return score;
}
