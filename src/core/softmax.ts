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

/**
 * The normaliser of `size` scores of which only `values[touched[0..count)]` are stored and every other one is 0
 * (a sparse blend): the same figure as `softmaxOf` on the dense array, in time proportional to `count`.
 */
export function softmaxOfSparse(
  values: ArrayLike<number>,
  touched: ArrayLike<number>,
  count: number,
  size: number,
): Softmax {
  const zeros = size - count;
  let max = zeros > 0 ? 0 : Number.NEGATIVE_INFINITY;
  for (let t = 0; t < count; t++) if (values[touched[t]!]! > max) max = values[touched[t]!]!;
  let sum = zeros * Math.exp(-max);
  for (let t = 0; t < count; t++) sum += Math.exp(values[touched[t]!]! - max);
  return { max, sum };
}

/** The probability of one score under `softmax`. */
export const probability = (score: number, softmax: Softmax): number =>
  Math.exp(score - softmax.max) / softmax.sum;
