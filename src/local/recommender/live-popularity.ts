import type { TopK } from '../model/types.ts';

/**
 * Activity per item that the trained model has not seen: the live event stream (the online feature store's
 * decayed item popularity). Higher is more popular now.
 */
export interface LivePopularitySource {
  /** The `k` items with the most live activity, best first, every score above 0. */
  topItems(k: number): readonly { readonly itemId: string; readonly score: number }[];
}

export interface LivePopularityOptions {
  readonly source: LivePopularitySource;
  /**
   * Weight of live activity against the trained popularity, both scaled to their best item (1 = equal).
   * @default 1
   */
  readonly weight?: number;
  /**
   * Live items considered per request (the rest keep their trained rank).
   * @default 200
   */
  readonly depth?: number;
}

type LiveActivity = readonly { readonly item: number; readonly score: number }[];

/** Each live item's `weight ·` its activity scaled to the best live item's (which comes first). */
function liveShares(live: LiveActivity, weight: number): { item: number; share: number }[] {
  const liveBest = live[0]?.score ?? 0;
  return liveBest > 0 ? live.map(({ item, score }) => ({ item, share: (weight * score) / liveBest })) : [];
}

/**
 * Blends the trained popular list with live activity: each side is scaled to its best item, then
 * `trained + weight · live`, best first (ties by item index). Items missing from the trained list count 0
 * there, so a burst on a long-tail item lifts it by its live share alone. `allowed` says which live items may
 * appear (known to the model, in the requested category).
 */
export function blendLivePopularity(
  trained: TopK,
  live: LiveActivity,
  k: number,
  weight: number,
): { items: Int32Array; scores: Float32Array } {
  const scores = new Map<number, number>();
  const trainedBest = trained.scores[0] ?? 0;
  trained.items.forEach((item, i) => {
    scores.set(item, trainedBest > 0 ? trained.scores[i]! / trainedBest : 0);
  });
  for (const { item, share } of liveShares(live, weight)) scores.set(item, (scores.get(item) ?? 0) + share);
  const ranked = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
  return {
    items: Int32Array.from(ranked, ([item]) => item),
    scores: Float32Array.from(ranked, ([, s]) => s),
  };
}

/**
 * The same blend over a whole catalogue's trained scores, in place: `scores` scaled to their best item, plus
 * each live item's share. Every item keeps its own trained share, however far down the list it is.
 */
export function addLiveActivity(scores: Float32Array, live: LiveActivity, weight: number): void {
  let best = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > best) best = scores[i]!;
  if (best > 0) for (let i = 0; i < scores.length; i++) scores[i]! /= best;
  for (const { item, share } of liveShares(live, weight)) scores[item]! += share;
}
