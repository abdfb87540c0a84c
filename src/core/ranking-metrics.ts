/**
 * Ranking metrics over one ranked list of item indices (best first) and the set of relevant items.
 * All cut the list at k (a list shorter than k is used whole) and return 0 for an empty relevant set,
 * so a caller averaging over users decides whom to count. Gains are binary.
 */

/** Items a user is known to like (their held-out test items). */
export type Relevant = ReadonlySet<number>;

function checkK(fn: string, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${fn}: k must be a positive integer, got ${k}`);
}

function hitsAtK(ranked: Int32Array, relevant: Relevant, k: number): number {
  const n = Math.min(k, ranked.length);
  let hits = 0;
  for (let p = 0; p < n; p++) if (relevant.has(ranked[p]!)) hits++;
  return hits;
}

/** Relevant items in the top k ÷ k (Personalize's `precision_at_K`; a short list still divides by k). */
export function precisionAtK(ranked: Int32Array, relevant: Relevant, k: number): number {
  checkK('precisionAtK', k);
  return relevant.size === 0 ? 0 : hitsAtK(ranked, relevant, k) / k;
}

/** Relevant items in the top k ÷ all relevant items. */
export function recallAtK(ranked: Int32Array, relevant: Relevant, k: number): number {
  checkK('recallAtK', k);
  return relevant.size === 0 ? 0 : hitsAtK(ranked, relevant, k) / relevant.size;
}

/** Discount of 0-based position p: 1 / log2(p + 2). */
function discount(p: number): number {
  return 1 / Math.log2(p + 2);
}

/** DCG of the top k with binary gain ÷ the ideal DCG, whose hits fill the first min(|relevant|, k) slots. */
export function ndcgAtK(ranked: Int32Array, relevant: Relevant, k: number): number {
  checkK('ndcgAtK', k);
  if (relevant.size === 0) return 0;
  const n = Math.min(k, ranked.length);
  let dcg = 0;
  for (let p = 0; p < n; p++) if (relevant.has(ranked[p]!)) dcg += discount(p);
  let idcg = 0;
  const ideal = Math.min(relevant.size, k);
  for (let p = 0; p < ideal; p++) idcg += discount(p);
  return dcg / idcg;
}

/** Mean of precision@p over the positions p ≤ k that hold a hit, ÷ min(|relevant|, k) (one user's AP for MAP@k). */
export function averagePrecisionAtK(ranked: Int32Array, relevant: Relevant, k: number): number {
  checkK('averagePrecisionAtK', k);
  if (relevant.size === 0) return 0;
  const n = Math.min(k, ranked.length);
  let hits = 0;
  let sum = 0;
  for (let p = 0; p < n; p++) {
    if (relevant.has(ranked[p]!)) {
      hits++;
      sum += hits / (p + 1);
    }
  }
  return sum / Math.min(relevant.size, k);
}

/** 1 / (1-based rank of the first relevant item within the top k), 0 when none; k defaults to the whole list. */
export function reciprocalRank(ranked: Int32Array, relevant: Relevant, k: number = ranked.length): number {
  if (!Number.isInteger(k) || k < 0)
    throw new RangeError(`reciprocalRank: k must be a non-negative integer, got ${k}`);
  const n = Math.min(k, ranked.length);
  for (let p = 0; p < n; p++) if (relevant.has(ranked[p]!)) return 1 / (p + 1);
  return 0;
}

/** Share of the catalogue (`catalogueSize` items) that appears in at least one list's top k. */
export function catalogueCoverage(lists: readonly Int32Array[], catalogueSize: number, k: number): number {
  checkK('catalogueCoverage', k);
  if (catalogueSize === 0) return 0;
  const seen = new Uint8Array(catalogueSize);
  let distinct = 0;
  for (const list of lists) {
    const n = Math.min(k, list.length);
    for (let p = 0; p < n; p++) {
      const item = list[p]!;
      if (item < 0 || item >= catalogueSize)
        throw new RangeError(`catalogueCoverage: item index ${item} outside catalogue of ${catalogueSize}`);
      if (seen[item] === 0) {
        seen[item] = 1;
        distinct++;
      }
    }
  }
  return distinct / catalogueSize;
}

/**
 * Self-information −log2(share) of every item, where share = users who interacted with the item ÷ all users.
 * An item nobody interacted with counts as seen by one user, so its novelty is finite (log2 of the user count).
 */
export function selfInformation(userCounts: ArrayLike<number>, userTotal: number): Float64Array {
  if (!(userTotal > 0)) throw new RangeError(`selfInformation: userTotal must be positive, got ${userTotal}`);
  const out = new Float64Array(userCounts.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.log2(userTotal / Math.max(userCounts[i]!, 1));
  return out;
}

/** Mean self-information (see `selfInformation`) of the top k items; 0 for an empty list. Higher = less obvious. */
export function noveltyAtK(ranked: Int32Array, information: Float64Array, k: number): number {
  checkK('noveltyAtK', k);
  const n = Math.min(k, ranked.length);
  if (n === 0) return 0;
  let sum = 0;
  for (let p = 0; p < n; p++) sum += information[ranked[p]!]!;
  return sum / n;
}

/**
 * Serendipity after Ge et al. (2010): items in the top k that are relevant AND unexpected, ÷ k. "Expected"
 * items are what a primitive model shows this user — in `evaluate`, the popularity baseline's top k over the
 * same candidates — so a pure popularity ranking scores 0 and only relevant surprises count.
 */
export function serendipityAtK(
  ranked: Int32Array,
  relevant: Relevant,
  expected: Relevant,
  k: number,
): number {
  checkK('serendipityAtK', k);
  if (relevant.size === 0) return 0;
  const n = Math.min(k, ranked.length);
  let count = 0;
  for (let p = 0; p < n; p++) {
    const item = ranked[p]!;
    if (relevant.has(item) && !expected.has(item)) count++;
  }
  return count / k;
}
