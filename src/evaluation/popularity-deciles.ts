/** How many popularity groups the popularity-bias view splits the candidates into. */
export const DECILES = 10;

export interface PopularityDeciles {
  /** Per item, 0 for the most popular tenth of candidates … 9 for the least popular; -1 for non-candidates. */
  readonly decileOf: Int8Array;
  /** Share of train (user, item) pairs falling on each decile's items: what the catalogue itself looks like. */
  readonly catalogueShares: readonly number[];
}

/**
 * Splits the candidates, ordered most popular first, into ten groups of (nearly) equal item count, so a
 * recommender's share per group can be set against the interactions' own share per group.
 */
export function popularityDeciles(counts: Int32Array, byPopularity: readonly number[]): PopularityDeciles {
  const decileOf = new Int8Array(counts.length).fill(-1);
  const sums = new Array<number>(DECILES).fill(0);
  let total = 0;
  byPopularity.forEach((item, position) => {
    const decile = Math.floor((position * DECILES) / byPopularity.length);
    decileOf[item] = decile;
    sums[decile]! += counts[item]!;
    total += counts[item]!;
  });
  return { decileOf, catalogueShares: sums.map((sum) => (total === 0 ? 0 : sum / total)) };
}

/** Share of the recommended slots of `lists` (each cut to k) landing in each decile. */
export function recommendationShares(lists: readonly Int32Array[], decileOf: Int8Array, k: number): number[] {
  const counts = new Array<number>(DECILES).fill(0);
  let slots = 0;
  for (const list of lists) {
    for (const item of list.subarray(0, k)) {
      const decile = decileOf[item] ?? -1;
      if (decile < 0) continue;
      counts[decile]!++;
      slots++;
    }
  }
  return counts.map((count) => (slots === 0 ? 0 : count / slots));
}
