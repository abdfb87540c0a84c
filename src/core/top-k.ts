import { TopKHeap } from './top-k-heap.ts';

/** Top-k result in dense indices, best first. */
export interface TopK {
  readonly items: Int32Array;
  readonly scores: Float32Array;
}

/** Items that may not be returned: `mask[i] === 1` excludes item i. */
export type ExclusionMask = Uint8Array;

const CANONICAL_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/**
 * Rank of every id in ascending id order, for breaking score ties by "smaller item id".
 * Ids compare as numbers when every id is a plain decimal number (so "9" < "10"), else by UTF-16 code units;
 * mixing the two per pair would not be a total order.
 */
export function idOrder(ids: readonly string[]): Int32Array {
  const numeric = ids.every((id) => CANONICAL_NUMBER.test(id));
  const order = ids.map((_, i) => i);
  if (numeric) {
    const values = ids.map(Number);
    order.sort((a, b) => values[a]! - values[b]! || a - b);
  } else {
    order.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b));
  }
  const rank = new Int32Array(ids.length);
  for (let r = 0; r < order.length; r++) rank[order[r]!] = r;
  return rank;
}

/**
 * The k best items by score, best first, skipping items with `exclude[i] === 1`.
 * Ties go to the smaller `tieBreak[i]` (see `idOrder`), or to the smaller index without it (the `TopKHeap`
 * rule); NaN scores rank last. Returns fewer than k items when fewer are eligible. O(n log k).
 */
export function topK(scores: Float32Array, k: number, exclude?: ExclusionMask, tieBreak?: Int32Array): TopK {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`topK: k must be a non-negative integer, got ${k}`);
  if (exclude && exclude.length !== scores.length)
    throw new RangeError(`topK: exclude has length ${exclude.length}, scores has ${scores.length}`);
  if (tieBreak && tieBreak.length !== scores.length)
    throw new RangeError(`topK: tieBreak has length ${tieBreak.length}, scores has ${scores.length}`);
  if (k === 0) return { items: new Int32Array(0), scores: new Float32Array(0) };

  const heap = new TopKHeap(k, tieBreak);
  for (let item = 0; item < scores.length; item++) {
    if (exclude && exclude[item] === 1) continue;
    const s = scores[item]!;
    const value = Number.isNaN(s) ? Number.NEGATIVE_INFINITY : s;
    if (heap.admits(item, value)) heap.push(item, value);
  }
  const n = heap.drainBestFirst();
  const items = heap.ids.slice(0, n);
  return { items, scores: Float32Array.from(items, (item) => scores[item]!) };
}
