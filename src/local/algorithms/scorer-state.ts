import type { ArtifactArray } from '../model/artifact.ts';
import type { Csr } from '../sparse/csr.ts';

/**
 * A fitted scorer as artifact parts: a JSON header, named typed arrays (kept as views, never copied) and
 * named string lists. Part names are the scorer's own; the model prefixes them.
 */
export interface ScorerState<H> {
  readonly header: H;
  readonly arrays: Readonly<Record<string, ArtifactArray>>;
  readonly strings?: Readonly<Record<string, readonly string[]>>;
}

/** The fitted matrix of a CSR-backed scorer, flattened for the artifact. */
export function csrState<H>(header: H, m: Csr): ScorerState<H & { rows: number; cols: number }> {
  return {
    header: { ...header, rows: m.rows, cols: m.cols },
    arrays: { indptr: m.indptr, indices: m.indices, data: m.data },
  };
}

/** Inverse of `csrState`. */
export function csrFromState(state: ScorerState<{ rows: number; cols: number }>): Csr {
  return {
    rows: state.header.rows,
    cols: state.header.cols,
    indptr: state.arrays['indptr'] as Int32Array,
    indices: state.arrays['indices'] as Int32Array,
    data: state.arrays['data'] as Float32Array,
  };
}
