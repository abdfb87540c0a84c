import { ndcgAtK } from '../../core/ranking-metrics.ts';
import { type TopK, topK } from '../../core/top-k.ts';
import type { Dataset } from '../data/types.ts';
import type { Holdout } from './holdout.ts';
import type { History } from './types.ts';
import { historyOf, packHistories } from './user-histories.ts';

/** NDCG cut-off that tuning optimises (the benchmarks' headline metric). */
export const TUNING_CUTOFF = 10;

/**
 * The tuning side of a holdout, ready to score: each sampled user's remaining history, the items they may be
 * recommended (candidates with a carve-train interaction, minus their history) and what they held out.
 */
export class TuningSet {
  readonly itemCount: number;
  readonly histories: readonly History[];
  private readonly relevant: readonly ReadonlySet<number>[];
  private readonly nonCandidate: Uint8Array;
  private readonly exclude: Uint8Array;

  /**
   * `histories` passes the tuning users' histories when they are already known (a tuning helper thread gets
   * them with the holdout), sparing a pass that packs every user's history.
   */
  constructor(
    readonly holdout: Holdout,
    histories?: readonly History[],
  ) {
    const train: Dataset = holdout.train;
    this.itemCount = train.items.ids.length;
    if (histories) this.histories = histories;
    else {
      const packed = packHistories(train);
      this.histories = Array.from(holdout.users, (u) => historyOf(packed, u));
    }
    this.relevant = holdout.relevant.map((items) => new Set(items));
    this.nonCandidate = new Uint8Array(this.itemCount).fill(1);
    for (let r = 0; r < train.interactions.length; r++)
      this.nonCandidate[train.interactions.itemIndex[r]!] = 0;
    this.exclude = this.nonCandidate.slice();
  }

  get size(): number {
    return this.histories.length;
  }

  /**
   * The `k` best items one tuning user may be recommended, best first (ties to the smaller index): their
   * history and items without a carve-train interaction are skipped.
   */
  top(position: number, scores: Float32Array, k: number): TopK {
    const history = this.histories[position]!.items;
    for (const item of history) this.exclude[item] = 1;
    const ranked = topK(scores, k, this.exclude);
    for (const item of history) this.exclude[item] = this.nonCandidate[item]!;
    return ranked;
  }

  /** NDCG@10 of one tuning user (by position in `holdout.users`) for a ranking of their candidates. */
  ndcgOfRanking(position: number, ranked: Int32Array): number {
    return ndcgAtK(ranked, this.relevant[position]!, TUNING_CUTOFF);
  }

  /** NDCG@10 of one tuning user (by position in `holdout.users`) given that user's scores. */
  ndcg(position: number, scores: Float32Array): number {
    return this.ndcgOfRanking(position, this.top(position, scores, TUNING_CUTOFF).items);
  }
}
