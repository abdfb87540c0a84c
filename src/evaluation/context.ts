import { selfInformation } from '../core/ranking-metrics.ts';
import { idOrder } from '../core/top-k.ts';
import type { Dataset } from '../local/data/types.ts';
import type { History } from '../local/model/types.ts';
import { historyOf as packedHistoryOf, packHistories } from '../local/model/user-histories.ts';
import { type PopularityDeciles, popularityDeciles } from './popularity-deciles.ts';

/** One held-out interaction, by id as in test.csv. */
export interface TestInteraction {
  readonly userId: string;
  readonly itemId: string;
}

/** One test user: their train history and the items they interacted with in test. */
export interface TestUser {
  /** Train user index, or undefined for a user with no train interactions (scored cold). */
  readonly userIndex: number | undefined;
  readonly history: History;
  /**
   * Test items as item indices; a test item absent from the train item index gets an index ≥ the item count,
   * so it stays in |relevant| (recall's denominator) while no model can rank it.
   */
  readonly relevant: ReadonlySet<number>;
  /** What a popularity baseline would show this user: the top `listLength` popular candidates not in history. */
  readonly expected: ReadonlySet<number>;
}

/** Everything the protocol needs that does not depend on the algorithm, computed once per evaluation. */
export interface EvaluationContext {
  readonly itemCount: number;
  /** 1 for items that are not candidates (no train interaction); a user's history is added on top. */
  readonly nonCandidate: Uint8Array;
  /** Rank of each item id in ascending id order, for "ties by smaller item id". */
  readonly tieRank: Int32Array;
  /** Per-item self-information over train users, for novelty. */
  readonly information: Float64Array;
  /** Candidates split into popularity deciles, for the popularity-bias view. */
  readonly deciles: PopularityDeciles;
  readonly users: readonly TestUser[];
}

const EMPTY_HISTORY: History = {
  items: new Int32Array(0),
  timestamps: new Float64Array(0),
  eventTypes: new Uint8Array(0),
};

/** Distinct train users per item, and how many users have any train interaction. */
function userCounts(train: Dataset, historyOf: (userIndex: number) => History) {
  const counts = new Int32Array(train.items.ids.length);
  const lastUser = new Int32Array(counts.length).fill(-1);
  let activeUsers = 0;
  for (let u = 0; u < train.users.ids.length; u++) {
    const { items } = historyOf(u);
    if (items.length > 0) activeUsers++;
    for (const item of items) {
      if (lastUser[item] !== u) {
        lastUser[item] = u;
        counts[item]!++;
      }
    }
  }
  return { counts, activeUsers };
}

/**
 * Builds the protocol's fixed parts: candidates are the items with at least one train interaction; test
 * users are the distinct users of `test`, in first-seen order; `listLength` is how deep `expected` goes.
 */
export function buildContext(
  train: Dataset,
  test: readonly TestInteraction[],
  listLength: number,
): EvaluationContext {
  const itemCount = train.items.ids.length;
  const packed = packHistories(train);
  const historyOf = (u: number) => packedHistoryOf(packed, u);
  const { counts, activeUsers } = userCounts(train, historyOf);
  const nonCandidate = Uint8Array.from(counts, (c) => (c === 0 ? 1 : 0));
  const tieRank = idOrder(train.items.ids);
  const byPopularity = Array.from(counts.keys())
    .filter((i) => counts[i]! > 0)
    .sort((a, b) => counts[b]! - counts[a]! || tieRank[a]! - tieRank[b]!);

  const unknownItems = new Map<string, number>();
  const relevantByUser = new Map<string, Set<number>>();
  for (const { userId, itemId } of test) {
    let item = train.items.indexOf.get(itemId);
    if (item === undefined) {
      item = unknownItems.get(itemId);
      if (item === undefined) unknownItems.set(itemId, (item = itemCount + unknownItems.size));
    }
    let relevant = relevantByUser.get(userId);
    if (relevant === undefined) relevantByUser.set(userId, (relevant = new Set()));
    relevant.add(item);
  }

  const users = Array.from(relevantByUser, ([userId, relevant]): TestUser => {
    const userIndex = train.users.indexOf.get(userId);
    const history = userIndex === undefined ? EMPTY_HISTORY : historyOf(userIndex);
    const seen = new Set(history.items);
    const expected = new Set<number>();
    for (const item of byPopularity) {
      if (expected.size === listLength) break;
      if (!seen.has(item)) expected.add(item);
    }
    return { userIndex, history, relevant, expected };
  });

  return {
    itemCount,
    nonCandidate,
    tieRank,
    information: selfInformation(counts, Math.max(activeUsers, 1)),
    deciles: popularityDeciles(counts, byPopularity),
    users,
  };
}
