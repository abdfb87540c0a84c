import type { TopK } from '../model/types.ts';
import { TopKHeap } from './top-k-heap.ts';

/**
 * The k best-scoring items, best first (ties: smaller index first), skipping `exclude[i] === 1` and
 * non-positive or NaN scores. One guarded pass plus a heap of k: the serving hot path, where a general
 * comparator-based top-k costs several times more.
 */
export function selectTopK(scores: Float32Array, k: number, exclude?: Uint8Array): TopK {
  if (!Number.isInteger(k) || k < 0)
    throw new RangeError(`selectTopK: k must be a non-negative integer, got ${k}`);
  if (exclude && exclude.length < scores.length)
    throw new RangeError(`selectTopK: exclude has length ${exclude.length}, scores has ${scores.length}`);
  if (k === 0) return { items: new Int32Array(0), scores: new Float32Array(0) };
  const heap = new TopKHeap(k);
  const { values } = heap;
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i]!;
    // Strictly greater than the kept minimum: among equal scores the earlier (smaller) index stays.
    if (!(v > 0) || (heap.size === k && !(v > values[0]!)) || (exclude && exclude[i] === 1)) continue;
    heap.push(i, v);
  }
  const order = Array.from({ length: heap.size }, (_, h) => h).sort(
    (a, b) => values[b]! - values[a]! || heap.ids[a]! - heap.ids[b]!,
  );
  return {
    items: Int32Array.from(order, (h) => heap.ids[h]!),
    scores: Float32Array.from(order, (h) => values[h]!),
  };
}
