/** The held-out rule shared by the benchmark's chronological split and the tuner's carve. */

/** Fewest interactions a user needs before any of them is held out. */
export const MIN_INTERACTIONS_TO_HOLD_OUT = 5;

/** How many of a user's `n` interactions (the newest) the protocol holds out: ⌊n / 5⌋ once n ≥ 5, else none. */
export function heldOutCount(n: number): number {
  return n < MIN_INTERACTIONS_TO_HOLD_OUT ? 0 : Math.floor(n / 5);
}
