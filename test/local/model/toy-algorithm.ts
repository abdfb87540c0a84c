import { NotFittedError } from '../../../src/errors.ts';
import type { AlgorithmPlugin } from '../../../src/local/algorithms/plugin.ts';
import { csrFromState, csrState, type ScorerState } from '../../../src/local/algorithms/scorer-state.ts';
import type { Dataset } from '../../../src/local/data/types.ts';
import type { ScoreQuery, Scorer } from '../../../src/local/model/types.ts';
import { packHistories } from '../../../src/local/model/user-histories.ts';
import { type Csr, fromCoo } from '../../../src/local/sparse/index.ts';

type SuccessorHeader = { rows: number; cols: number };

/**
 * A toy algorithm written the way a caller adds one without touching the engine: a first-order Markov chain
 * that scores the items which followed the query's most recent item in training histories, by count.
 */
export class SuccessorScorer implements Scorer {
  readonly name = 'successor';
  private transitions: Csr | undefined;

  fit(data: Dataset): void {
    const { start, items } = packHistories(data);
    const from: number[] = [];
    const to: number[] = [];
    for (let u = 0; u < data.users.ids.length; u++)
      for (let p = start[u]! + 1; p < start[u + 1]!; p++) {
        from.push(items[p - 1]!);
        to.push(items[p]!);
      }
    const n = data.items.ids.length;
    this.transitions = fromCoo(n, n, Int32Array.from(from), Int32Array.from(to));
  }

  private get fitted(): Csr {
    if (!this.transitions) throw new NotFittedError('successor is not fitted');
    return this.transitions;
  }

  scoreAll(query: ScoreQuery, out: Float32Array): void {
    const { indptr, indices, data, rows } = this.fitted;
    out.fill(0);
    const last = query.history.items.at(-1);
    if (last === undefined || last < 0 || last >= rows) return;
    for (let e = indptr[last]!; e < indptr[last + 1]!; e++) out[indices[e]!] = data[e]!;
  }

  export(): ScorerState<SuccessorHeader> {
    return csrState({}, this.fitted);
  }

  static restore(state: ScorerState<SuccessorHeader>): SuccessorScorer {
    const scorer = new SuccessorScorer();
    scorer.transitions = csrFromState(state);
    return scorer;
  }
}

export const successorAlgorithm: AlgorithmPlugin = {
  name: 'successor',
  create: () => new SuccessorScorer(),
  restore: SuccessorScorer.restore,
  tuning: { full: [{}], fast: [{}], recencyDecay: false },
};
