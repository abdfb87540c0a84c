/**
 * Personalize's score rule for custom campaigns (AWS "How recommendation scoring works"): a softmax over the
 * items a request scores, so every score is in (0, 1] and all of them sum to 1. The local engine's blend scores
 * stand in for Personalize's logits (the user and item embeddings' dot products).
 */
export interface Softmax {
  readonly max: number;
  readonly sum: number;
}

/** The normaliser of `scores`: their maximum and Σ exp(score − max) (subtracting the max keeps exp finite). */
export function softmaxOf(scores: ArrayLike<number>): Softmax {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > max) max = scores[i]!;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += Math.exp(scores[i]! - max);
  return { max, sum };
}

/** The probability of one score under `softmax`. */
export const probability = (score: number, softmax: Softmax): number =>
  Math.exp(score - softmax.max) / softmax.sum;
