import type { History } from '../model/types.ts';
import type { Csr } from '../sparse/csr.ts';
import type { SparseScores } from '../sparse/sparse-scores.ts';
import { historyWeights } from './history-weights.ts';

/**
 * Scores items from an item × item similarity: each history event adds its recency-weighted similarity row
 * into `into`, so only the history's neighbours are touched. Reads the query history, never a frozen user
 * row, so real-time events count immediately.
 */
export function scoreFromSimilarity(
  similarity: Csr,
  history: History,
  decay: number,
  into: SparseScores,
): void {
  if (into.size < similarity.cols)
    throw new RangeError(
      `scoreFromSimilarity: scores must have size >= ${similarity.cols}, got ${into.size}`,
    );
  const weights = historyWeights(history, decay);
  const { indptr, indices, data } = similarity;
  for (let p = 0; p < history.items.length; p++) {
    const item = history.items[p]!;
    // Items added after training have no collaborative signal yet; content similarity covers them.
    if (item < 0 || item >= similarity.rows) continue;
    const w = weights[p]!;
    for (let e = indptr[item]!; e < indptr[item + 1]!; e++) into.add(indices[e]!, w * data[e]!);
  }
}
