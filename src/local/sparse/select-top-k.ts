import type { TopK } from '../../core/top-k.ts';
import { TopKHeap } from '../../core/top-k-heap.ts';

/**
 * The k best-scoring items among the first `count` `candidates` (distinct indices into `scores`, in any
 * order; every other item counts as scoring 0), best first, ties to the smaller index (the `TopKHeap` rule),
 * skipping `exclude[i] === 1` and non-positive or NaN scores. One guarded pass plus a heap of k, over what a
 * query touched rather than the whole catalogue: the serving hot path.
 */
export function selectTopKAmong(
  scores: Float32Array,
  candidates: Int32Array,
  count: number,
  k: number,
  exclude?: Uint8Array,
): TopK {
  if (!Number.isInteger(k) || k < 0)
    throw new RangeError(`selectTopKAmong: k must be a non-negative integer, got ${k}`);
  if (exclude && exclude.length < scores.length)
    throw new RangeError(
      `selectTopKAmong: exclude has length ${exclude.length}, scores has ${scores.length}`,
    );
  if (count > candidates.length)
    throw new RangeError(`selectTopKAmong: count ${count} exceeds the ${candidates.length} candidates`);
  if (k === 0) return { items: new Int32Array(0), scores: new Float32Array(0) };
  const heap = new TopKHeap(k);
  for (let t = 0; t < count; t++) {
    const i = candidates[t]!;
    const v = scores[i]!;
    if (v > 0 && heap.admits(i, v) && !(exclude && exclude[i] === 1)) heap.push(i, v);
  }
  const n = heap.drainBestFirst();
  return { items: heap.ids.slice(0, n), scores: heap.values.slice(0, n) };
}
