import type { ScoreQuery, Scorer } from '../model/types.ts';
import type { SparseScores } from '../sparse/sparse-scores.ts';

/**
 * A scorer that reaches only some items per query (neighbours of the history): it adds its scores into a
 * `SparseScores` so the hybrid blends and ranks only what was touched instead of every item.
 */
export interface SparseScorer extends Scorer {
  /** Adds the query's scores into `into`, sized at least to the scorer's items (as `scoreAll`'s `out`). */
  scoreSparse(query: ScoreQuery, into: SparseScores): void;
}

export function isSparseScorer(scorer: Scorer): scorer is SparseScorer {
  return typeof (scorer as Partial<SparseScorer>).scoreSparse === 'function';
}

/** `Scorer.scoreAll` of a sparse scorer: its sparse scores written densely into `out`, through `scratch`. */
export function scoreAllFromSparse(
  scorer: SparseScorer,
  query: ScoreQuery,
  out: Float32Array,
  scratch: SparseScores,
): void {
  scratch.reset(out.length);
  scorer.scoreSparse(query, scratch);
  scratch.drainInto(out);
}
