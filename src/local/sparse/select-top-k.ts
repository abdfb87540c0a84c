import type { TopK } from '../../core/top-k.ts';
import { TopKHeap } from './top-k-heap.ts';

/**
 * The k best-scoring items among the first `count` `candidates` (distinct indices into `scores`, in any
 * order; every other item counts as scoring 0), best first, ties to the smaller index, skipping
 * `exclude[i] === 1` and non-positive or NaN scores. One guarded pass plus a heap of k, over what a query
 * touched rather than the whole catalogue: the serving hot path.
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
    if (v > 0 && heap.admits(v) && !(exclude && exclude[i] === 1)) heap.push(i, v);
  }
  if (heap.size === k) settleTies(heap, scores, candidates, count, exclude);
  return ranked(heap);
}

/**
 * Among items tied at the kept minimum the heap holds whichever it met first (or last evicted), not the
 * smallest indices; those take the tied slots instead.
 */
function settleTies(
  heap: TopKHeap,
  scores: Float32Array,
  candidates: Int32Array,
  count: number,
  exclude: Uint8Array | undefined,
): void {
  const min = heap.values[0]!;
  const tied: number[] = [];
  for (let t = 0; t < count; t++) {
    const i = candidates[t]!;
    if (scores[i] === min && !(exclude && exclude[i] === 1)) tied.push(i);
  }
  if (tied.length < 2) return;
  tied.sort((a, b) => a - b);
  let next = 0;
  for (let h = 0; h < heap.size; h++) if (heap.values[h] === min) heap.ids[h] = tied[next++]!;
}

/**
 * The heap's entries best first, ties by smaller index. An insertion sort on the typed arrays: k is small
 * (a page of results), where it beats building and sorting an index array with a comparator.
 */
function ranked(heap: TopKHeap): TopK {
  const items = heap.ids.slice(0, heap.size);
  const scores = heap.values.slice(0, heap.size);
  for (let a = 1; a < items.length; a++) {
    const item = items[a]!;
    const score = scores[a]!;
    let b = a - 1;
    for (; b >= 0 && (scores[b]! < score || (scores[b] === score && items[b]! > item)); b--) {
      items[b + 1] = items[b]!;
      scores[b + 1] = scores[b]!;
    }
    items[b + 1] = item;
    scores[b + 1] = score;
  }
  return { items, scores };
}
