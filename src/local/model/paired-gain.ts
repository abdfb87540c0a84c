/** The mean of `now − base` over paired per-user scores, and the standard error of that mean. */
export interface PairedGain {
  readonly mean: number;
  readonly standardError: number;
}

/** Paired difference of two per-user score arrays of the same users (same length, same order). */
export function pairedGain(now: Float64Array, base: Float64Array): PairedGain {
  const n = now.length;
  if (base.length !== n) throw new RangeError(`pairedGain: lengths differ (${n} and ${base.length})`);
  if (n === 0) return { mean: 0, standardError: 0 };
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = now[i]! - base[i]!;
    sum += d;
    squares += d * d;
  }
  const mean = sum / n;
  const variance = Math.max(squares / n - mean * mean, 0);
  return { mean, standardError: Math.sqrt(variance / n) };
}

/** How much a change must gain on validation to be taken (see `beatsNoise`). */
export interface NoiseGate {
  /** Standard errors of the per-user difference the mean gain must exceed. */
  readonly standardErrors: number;
  /** Share of the baseline's mean the gain must also exceed. */
  readonly relativeGain: number;
}

/**
 * Whether `now` beats `base` beyond noise: a mean gain larger than `gate.standardErrors` standard errors of
 * it and than `gate.relativeGain` of the baseline. Per-user ranking metrics are noisy on a validation carve
 * of a few hundred users, so a change that wins by less is as likely luck as signal, and on unseen data it
 * costs as often as it helps. The relative floor stops near-identical rankings (a tiny recency decay), whose
 * per-user differences are mostly 0 and so have a tiny standard error, from passing on a handful of users.
 */
export function beatsNoise(now: Float64Array, base: Float64Array, gate: NoiseGate): boolean {
  const { mean, standardError } = pairedGain(now, base);
  return mean > gate.standardErrors * standardError && mean > gate.relativeGain * average(base);
}

export function average(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? 0 : sum / values.length;
}
