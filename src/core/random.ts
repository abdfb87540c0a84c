/** A seeded pseudo-random generator: the only source of randomness in library code, so runs are repeatable. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform float in [min, max). */
  range(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** Exponentially distributed float with the given mean. */
  exponential(mean: number): number;
  /** Normally distributed float (Box-Muller). */
  normal(mean?: number, stdDev?: number): number;
}

/** splitmix32 spreads nearby seeds (0, 1, 2, ...) into unrelated starting states. */
function mixSeed(seed: number): number {
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * mulberry32: 32 bits of state, one multiply-xorshift round per draw. Fast and statistically fine for
 * simulation and sampling; not for anything secret.
 */
export function createRng(seed: number): Rng {
  let state = mixSeed(Math.trunc(seed));
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    range: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    exponential: (mean) => -mean * Math.log(1 - next()),
    normal: (mean = 0, stdDev = 1) => {
      const u = 1 - next();
      return mean + stdDev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}
