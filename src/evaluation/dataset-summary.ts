import type { Dataset } from '../local/data/types.ts';

/** The share of items counted as the "head" of the popularity distribution. */
const HEAD_SHARE = 0.2;
/** At most this many points of the rank–frequency curve are kept for the report's long-tail chart. */
const CURVE_POINTS = 200;

export interface DatasetSummary {
  readonly users: number;
  readonly items: number;
  readonly interactions: number;
  /** Users and items with at least one interaction. */
  readonly activeUsers: number;
  readonly activeItems: number;
  /** 1 − distinct (user, item) pairs / (users × items): how empty the interaction matrix is. */
  readonly sparsity: number;
  /** Share of interactions on the most popular 20 % of interacted items. */
  readonly headInteractionShare: number;
  /** Share of interacted items outside the head that together hold 80 % of the interactions. */
  readonly longTailItemShare: number;
  /** Interactions per item, most popular first, downsampled to at most 200 (rank, count) points. */
  readonly popularityCurve: readonly { readonly rank: number; readonly interactions: number }[];
}

/** Sizes, sparsity and long-tail shape of a training dataset, for the evaluation report. */
export function summarizeDataset(train: Dataset): DatasetSummary {
  const { interactions } = train;
  const users = train.users.ids.length;
  const items = train.items.ids.length;
  const perItem = new Int32Array(items);
  const activeUser = new Uint8Array(users);
  const pairs = new Set<number>();
  for (let row = 0; row < interactions.length; row++) {
    const user = interactions.userIndex[row]!;
    const item = interactions.itemIndex[row]!;
    perItem[item]!++;
    activeUser[user] = 1;
    pairs.add(user * items + item);
  }
  const counts = Array.from(perItem)
    .filter((count) => count > 0)
    .sort((a, b) => b - a);
  const total = interactions.length;
  const head = Math.max(1, Math.round(counts.length * HEAD_SHARE));
  const headSum = counts.slice(0, head).reduce((sum, count) => sum + count, 0);

  let cumulative = 0;
  let shortHead = 0;
  while (shortHead < counts.length && cumulative < 0.8 * total) cumulative += counts[shortHead++]!;

  const step = Math.max(1, Math.ceil(counts.length / CURVE_POINTS));
  const popularityCurve = [];
  for (let rank = 0; rank < counts.length; rank += step)
    popularityCurve.push({ rank: rank + 1, interactions: counts[rank]! });

  return {
    users,
    items,
    interactions: total,
    activeUsers: activeUser.reduce((sum, flag) => sum + flag, 0),
    activeItems: counts.length,
    sparsity: users * items === 0 ? 1 : 1 - pairs.size / (users * items),
    headInteractionShare: total === 0 ? 0 : headSum / total,
    longTailItemShare: counts.length === 0 ? 0 : (counts.length - shortHead) / counts.length,
    popularityCurve,
  };
}
