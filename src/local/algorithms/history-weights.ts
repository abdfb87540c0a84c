import type { History } from '../model/types.ts';

/**
 * Per-position weights of a history, oldest first: `exp(-decay × steps from the newest event)`. Chronological
 * evaluation (and real use) rewards leaning on what the user did last; decay 0 weighs every event equally.
 */
export function historyWeights(history: History, decay: number, out?: Float32Array): Float32Array {
  const n = history.items.length;
  const weights = out && out.length >= n ? out.subarray(0, n) : new Float32Array(n);
  for (let p = 0; p < n; p++) weights[p] = decay === 0 ? 1 : Math.exp(-decay * (n - 1 - p));
  return weights;
}

export function assertDecay(decay: number, fn: string): void {
  if (!(decay >= 0) || !Number.isFinite(decay))
    throw new RangeError(`${fn}: recency decay must be a finite number >= 0, got ${decay}`);
}
