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
 * Ties go to the smaller `tieBreak[i]` (see `idOrder`), or to the smaller index without it; NaN scores rank
 * last. Returns fewer than k items when fewer are eligible. O(n log k) with a bounded min-heap.
 */
export function topK(scores: Float32Array, k: number, exclude?: ExclusionMask, tieBreak?: Int32Array): TopK {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`topK: k must be a non-negative integer, got ${k}`);
  if (exclude && exclude.length !== scores.length)
    throw new RangeError(`topK: exclude has length ${exclude.length}, scores has ${scores.length}`);
  if (tieBreak && tieBreak.length !== scores.length)
    throw new RangeError(`topK: tieBreak has length ${tieBreak.length}, scores has ${scores.length}`);

  const heapItems = new Int32Array(k);
  const heapScores = new Float64Array(k);
  let size = 0;
  const scoreOf = (i: number): number => {
    const s = scores[i]!;
    return Number.isNaN(s) ? Number.NEGATIVE_INFINITY : s;
  };
  // true when (sa, a) ranks below (sb, b): the heap keeps the worst kept item at the root.
  const worse = (sa: number, a: number, sb: number, b: number): boolean =>
    sa < sb || (sa === sb && (tieBreak ? tieBreak[a]! > tieBreak[b]! : a > b));

  const siftDown = (from: number): void => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) return;
      const r = l + 1;
      let w = l;
      if (r < size && worse(heapScores[r]!, heapItems[r]!, heapScores[l]!, heapItems[l]!)) w = r;
      if (!worse(heapScores[w]!, heapItems[w]!, heapScores[i]!, heapItems[i]!)) return;
      swap(i, w);
      i = w;
    }
  };
  const swap = (i: number, j: number): void => {
    const item = heapItems[i]!;
    heapItems[i] = heapItems[j]!;
    heapItems[j] = item;
    const score = heapScores[i]!;
    heapScores[i] = heapScores[j]!;
    heapScores[j] = score;
  };

  if (k > 0) {
    for (let item = 0; item < scores.length; item++) {
      if (exclude && exclude[item] === 1) continue;
      const s = scoreOf(item);
      if (size < k) {
        let i = size++;
        heapItems[i] = item;
        heapScores[i] = s;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (!worse(heapScores[i]!, heapItems[i]!, heapScores[parent]!, heapItems[parent]!)) break;
          swap(i, parent);
          i = parent;
        }
      } else if (worse(heapScores[0]!, heapItems[0]!, s, item)) {
        heapItems[0] = item;
        heapScores[0] = s;
        siftDown(0);
      }
    }
  }

  // Pop the worst first into the back, so the output is best first.
  const items = new Int32Array(size);
  const out = new Float32Array(size);
  for (let end = size - 1; end >= 0; end--) {
    items[end] = heapItems[0]!;
    out[end] = scores[heapItems[0]!]!;
    size--;
    if (size > 0) {
      swap(0, size);
      siftDown(0);
    }
  }
  return { items, scores: out };
}
