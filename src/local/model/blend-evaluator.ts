import type { ComponentChoice } from './tune.ts';
import type { TuningSet } from './tuning-set.ts';

/** A component's best configuration, with its cached validation scores for the blend search. */
export interface Candidate {
  readonly choice: Omit<ComponentChoice, 'weight'>;
  /** Tuning users × items, each user's row scaled to max 1. */
  readonly scores: Float32Array;
}

/** Per-user validation NDCG@10 of weighted sums of the candidates' cached scores. */
export class BlendEvaluator {
  private readonly blended: Float32Array;

  constructor(
    private readonly tuning: TuningSet,
    private readonly candidates: readonly Candidate[],
  ) {
    this.blended = new Float32Array(tuning.itemCount);
  }

  perUser(weights: readonly number[]): Float64Array {
    const { itemCount, size } = this.tuning;
    const { blended, candidates } = this;
    const ndcg = new Float64Array(size);
    for (let p = 0; p < size; p++) {
      blended.fill(0);
      const offset = p * itemCount;
      for (let c = 0; c < candidates.length; c++) {
        const w = weights[c]!;
        if (w === 0) continue;
        const scores = candidates[c]!.scores;
        for (let i = 0; i < itemCount; i++) blended[i]! += w * scores[offset + i]!;
      }
      ndcg[p] = this.tuning.ndcg(p, blended);
    }
    return ndcg;
  }
}
