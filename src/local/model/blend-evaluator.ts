import type { ComponentChoice } from './tune.ts';
import { TUNING_CUTOFF, type TuningSet } from './tuning-set.ts';

/** A component's best configuration, with its cached validation scores for the blend search. */
export interface Candidate {
  readonly choice: Omit<ComponentChoice, 'weight'>;
  /** Tuning users × items, each user's row scaled to max 1. */
  readonly scores: Float32Array;
}

/**
 * Items of each component's ranking that a user's pool holds. On ml-latest-small (9 components, 9,742 items)
 * a pool of 50 per component holds ~200 distinct items and proves the top 10 of all but a few blends, so
 * the blend search reads ~2% of each row; the rest fall back to the whole row.
 */
export const POOL_DEPTH = 100;

/**
 * Per-user validation NDCG@10 of weighted sums of the candidates' cached scores, the same as ranking each
 * blended row whole, but mostly read from a small pool per user: the union of every component's top
 * `depth` candidates. A blend's top 10 in the pool is its top 10 overall when the pool's tenth score beats
 * the bound on any item outside it (the weighted sum of each component's best score outside its own top
 * `depth`: weights are ≥ 0 and float rounding is monotone, so no outsider can reach it); otherwise that user
 * is ranked on the whole row. Sums are rounded to float32 in the order the whole-row path adds them, so
 * both paths give identical figures.
 */
export class BlendEvaluator {
  private readonly components: number;
  /** User p's pool is entries [start[p], start[p + 1]). */
  private readonly start: Int32Array;
  private readonly poolItems: Int32Array;
  /** Component-major: component c's score at pool entry e is `poolScores[c × entries + e]`. */
  private readonly poolScores: Float32Array;
  /** Per user and component, the best score outside the pool; −∞ when the pool holds every candidate. */
  private readonly bounds: Float32Array;
  private readonly pooled: Float32Array;
  private readonly pooledOthers: Float32Array;
  private readonly rankedItems = new Int32Array(TUNING_CUTOFF);
  private readonly rankedScores = new Float32Array(TUNING_CUTOFF);
  private readonly blended: Float32Array;
  private readonly others: Float32Array;

  constructor(
    private readonly tuning: TuningSet,
    private readonly candidates: readonly Candidate[],
    depth: number = POOL_DEPTH,
  ) {
    const { size, itemCount } = tuning;
    const k = candidates.length;
    this.components = k;
    this.blended = new Float32Array(itemCount);
    this.others = new Float32Array(itemCount);
    this.start = new Int32Array(size + 1);
    this.bounds = new Float32Array(size * k);
    const items: number[] = [];
    const seen = new Int32Array(itemCount).fill(-1);
    let widest = 0;
    for (let p = 0; p < size; p++) {
      for (let c = 0; c < k; c++) {
        const top = this.tuning.top(p, this.row(c, p), depth + 1);
        this.bounds[p * k + c] = top.items.length > depth ? top.scores[depth]! : Number.NEGATIVE_INFINITY;
        for (let r = 0; r < Math.min(depth, top.items.length); r++) {
          const item = top.items[r]!;
          if (seen[item] === p) continue;
          seen[item] = p;
          items.push(item);
        }
      }
      this.start[p + 1] = items.length;
      widest = Math.max(widest, items.length - this.start[p]!);
    }
    this.poolItems = Int32Array.from(items);
    const entries = items.length;
    this.poolScores = new Float32Array(k * entries);
    for (let c = 0; c < k; c++)
      for (let p = 0; p < size; p++) {
        const offset = p * itemCount;
        const scores = candidates[c]!.scores;
        for (let e = this.start[p]!; e < this.start[p + 1]!; e++)
          this.poolScores[c * entries + e] = scores[offset + this.poolItems[e]!]!;
      }
    this.pooled = new Float32Array(widest);
    this.pooledOthers = new Float32Array(widest);
  }

  /** Per-user NDCG@10 of the blend with these weights. */
  perUser(weights: readonly number[]): Float64Array {
    const { size } = this.tuning;
    const { pooled, poolScores, bounds, components } = this;
    const entries = this.poolItems.length;
    const ndcg = new Float64Array(size);
    for (let p = 0; p < size; p++) {
      const from = this.start[p]!;
      const n = this.start[p + 1]! - from;
      pooled.fill(0, 0, n);
      let bound = 0;
      for (let c = 0; c < components; c++) {
        const w = weights[c]!;
        if (w === 0) continue;
        const base = c * entries + from;
        for (let e = 0; e < n; e++) pooled[e]! += w * poolScores[base + e]!;
        bound = Math.fround(bound + w * bounds[p * components + c]!);
      }
      ndcg[p] = this.pooledNdcg(p, n, bound) ?? this.tuning.ndcg(p, this.wholeRow(p, weights));
    }
    return ndcg;
  }

  /**
   * Per-user NDCG@10 of the blend at each of `trials` as component `c`'s weight, the other weights as given:
   * what one coordinate of the ascent tries. Each user's sum of the other components is built once and
   * every trial adds only `c` to it, so a sweep of W weights over K components costs (K − 1 + W) pool passes
   * per user instead of W × K.
   */
  sweep(weights: readonly number[], c: number, trials: readonly number[]): Float64Array[] {
    const { size, itemCount } = this.tuning;
    const { pooled, pooledOthers, poolScores, bounds, components } = this;
    const entries = this.poolItems.length;
    const results = trials.map(() => new Float64Array(size));
    const varyingBase = c * entries;
    for (let p = 0; p < size; p++) {
      const from = this.start[p]!;
      const n = this.start[p + 1]! - from;
      pooledOthers.fill(0, 0, n);
      let othersBound = 0;
      for (let k = 0; k < components; k++) {
        const w = weights[k]!;
        if (k === c || w === 0) continue;
        const base = k * entries + from;
        for (let e = 0; e < n; e++) pooledOthers[e]! += w * poolScores[base + e]!;
        othersBound = Math.fround(othersBound + w * bounds[p * components + k]!);
      }
      let wholeOthers = false;
      for (let t = 0; t < trials.length; t++) {
        const w = trials[t]!;
        for (let e = 0; e < n; e++) pooled[e] = pooledOthers[e]! + w * poolScores[varyingBase + from + e]!;
        const bound = w === 0 ? othersBound : Math.fround(othersBound + w * bounds[p * components + c]!);
        const exact = this.pooledNdcg(p, n, bound);
        if (exact !== undefined) {
          results[t]![p] = exact;
          continue;
        }
        if (!wholeOthers) {
          this.others.fill(0);
          const offset = p * itemCount;
          for (let k = 0; k < components; k++) {
            const wk = weights[k]!;
            if (k === c || wk === 0) continue;
            const scores = this.candidates[k]!.scores;
            for (let i = 0; i < itemCount; i++) this.others[i]! += wk * scores[offset + i]!;
          }
          wholeOthers = true;
        }
        const varying = this.row(c, p);
        for (let i = 0; i < itemCount; i++) this.blended[i] = this.others[i]! + w * varying[i]!;
        results[t]![p] = this.tuning.ndcg(p, this.blended);
      }
    }
    return results;
  }

  /**
   * NDCG@10 of user p from the blended pool `pooled[0, n)` (ties to the smaller item, as `topK`), or
   * undefined when an item outside the pool might belong in the top 10 (see the class comment).
   */
  private pooledNdcg(p: number, n: number, bound: number): number | undefined {
    const { pooled, rankedItems, rankedScores } = this;
    const from = this.start[p]!;
    let count = 0;
    for (let e = 0; e < n; e++) {
      const raw = pooled[e]!;
      const score = Number.isNaN(raw) ? Number.NEGATIVE_INFINITY : raw;
      const item = this.poolItems[from + e]!;
      let at = count;
      while (at > 0 && outranks(score, item, rankedScores[at - 1]!, rankedItems[at - 1]!)) at--;
      if (at >= TUNING_CUTOFF) continue;
      for (let r = Math.min(count, TUNING_CUTOFF - 1); r > at; r--) {
        rankedItems[r] = rankedItems[r - 1]!;
        rankedScores[r] = rankedScores[r - 1]!;
      }
      rankedItems[at] = item;
      rankedScores[at] = score;
      if (count < TUNING_CUTOFF) count++;
    }
    const proven =
      count === TUNING_CUTOFF ? rankedScores[count - 1]! > bound : bound === Number.NEGATIVE_INFINITY;
    return proven ? this.tuning.ndcgOfRanking(p, rankedItems.subarray(0, count)) : undefined;
  }

  /** User p's blended scores over every item, summed as `perUser` sums its pool. */
  private wholeRow(p: number, weights: readonly number[]): Float32Array {
    const { blended, candidates } = this;
    blended.fill(0);
    for (let c = 0; c < candidates.length; c++) {
      const w = weights[c]!;
      if (w === 0) continue;
      const row = this.row(c, p);
      for (let i = 0; i < row.length; i++) blended[i]! += w * row[i]!;
    }
    return blended;
  }

  private row(c: number, p: number): Float32Array {
    const { itemCount } = this.tuning;
    return this.candidates[c]!.scores.subarray(p * itemCount, (p + 1) * itemCount);
  }
}

function outranks(score: number, item: number, otherScore: number, otherItem: number): boolean {
  return score > otherScore || (score === otherScore && item < otherItem);
}
