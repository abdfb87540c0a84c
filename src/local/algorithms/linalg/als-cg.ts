import { multiplyRows } from './dense.ts';

/**
 * One half-iteration of implicit ALS: the rows of `target` are solved against the fixed factors `fixed`.
 * Row u minimises Σᵢ cᵤᵢ(pᵤᵢ − xᵤ·yᵢ)² + λ‖xᵤ‖² over all columns i, with preference 1 and confidence
 * cᵤᵢ = 1 + alpha·rᵤᵢ on the row's nonzeros and preference 0, confidence 1 elsewhere (Hu, Koren, Volinsky
 * 2008). Plain arrays or SharedArrayBuffer views: worker threads receive this object as is.
 */
export interface AlsHalf {
  /** The rows' nonzeros as CSR (row → columns of `fixed`, values r). */
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
  /** rows × factors, updated in place (its current values warm-start the solve). */
  readonly target: Float32Array;
  /** columns × factors, read only. */
  readonly fixed: Float32Array;
  /** factors × factors: fixedᵀ·fixed + λI. */
  readonly gram: Float64Array;
  readonly rows: number;
  readonly factors: number;
  readonly alpha: number;
  readonly cgSteps: number;
}

/** Per-thread scratch of `solveRows`, grown on demand: rows never allocate. */
export class CgScratch {
  /** x, r, p and A·p, k each. */
  vectors = new Float64Array(0);
  /** The row's nonzero columns of `fixed`, gathered contiguously (nnz × k). */
  block = new Float64Array(0);
  /** The row's alpha·r per nonzero. */
  weights = new Float64Array(0);
  /** Per nonzero, the coefficient of yⱼ in the vector being computed. */
  products = new Float64Array(0);

  fit(k: number, nnz: number): void {
    if (this.vectors.length < 4 * k) this.vectors = new Float64Array(4 * k);
    if (this.block.length < nnz * k) this.block = new Float64Array(Math.max(nnz * k, 2 * this.block.length));
    if (this.weights.length < nnz) {
      this.weights = new Float64Array(Math.max(nnz, 2 * this.weights.length));
      this.products = new Float64Array(this.weights.length);
    }
  }
}

// Below this squared residual the row has converged; another step would divide by ~0.
const CONVERGED = 1e-20;

/**
 * Conjugate-gradient solve of rows [from, to): `cgSteps` steps from the row's current factors, as `implicit`'s
 * cg solver does. The system matrix Gram + Σᵢ alpha·rᵢ·yᵢyᵢᵀ is never formed: each product with it costs
 * k² + 2k·nnz, over the row's factors gathered into one contiguous block. Rows without nonzeros solve to
 * exactly 0. Each row depends only on `fixed` and `gram`, so any split of the rows over threads yields the
 * same factors bit for bit.
 */
export function solveRows(half: AlsHalf, from: number, to: number, scratch: CgScratch): void {
  const { indptr, indices, values, target, fixed, gram, factors: k, alpha, cgSteps } = half;
  for (let u = from; u < to; u++) {
    const start = indptr[u]!;
    const nnz = indptr[u + 1]! - start;
    const base = u * k;
    if (nnz === 0) {
      target.fill(0, base, base + k);
      continue;
    }
    scratch.fit(k, nnz);
    const { vectors, block, weights, products } = scratch;
    for (let j = 0; j < nnz; j++) {
      const row = indices[start + j]! * k;
      const at = j * k;
      for (let a = 0; a < k; a++) block[at + a] = fixed[row + a]!;
      weights[j] = alpha * values[start + j]!;
    }
    for (let a = 0; a < k; a++) vectors[a] = target[base + a]!;
    // r = b − A·x with b = Σⱼ cⱼyⱼ: −Gram·x + Σⱼ (cⱼ − alpha·rⱼ·yⱼ·x)·yⱼ, one pass over the block.
    multiplyRows(gram, k, k, vectors, 0, vectors, k);
    for (let a = 0; a < k; a++) vectors[k + a] = -vectors[k + a]!;
    weightedProjections(block, weights, nnz, k, vectors, 0, products);
    for (let j = 0; j < nnz; j++) products[j] = 1 + weights[j]! - products[j]!;
    addCombination(block, products, nnz, k, vectors, k);
    let rs = 0;
    for (let a = 0; a < k; a++) {
      const ra = vectors[k + a]!;
      vectors[2 * k + a] = ra;
      rs += ra * ra;
    }
    for (let step = 0; step < cgSteps && rs >= CONVERGED; step++) {
      // A·p = Gram·p + Σⱼ alpha·rⱼ·(yⱼ·p)·yⱼ.
      multiplyRows(gram, k, k, vectors, 2 * k, vectors, 3 * k);
      weightedProjections(block, weights, nnz, k, vectors, 2 * k, products);
      addCombination(block, products, nnz, k, vectors, 3 * k);
      let pAp = 0;
      for (let a = 0; a < k; a++) pAp += vectors[2 * k + a]! * vectors[3 * k + a]!;
      const stepSize = rs / pAp;
      let rsNew = 0;
      for (let a = 0; a < k; a++) {
        vectors[a]! += stepSize * vectors[2 * k + a]!;
        const ra = vectors[k + a]! - stepSize * vectors[3 * k + a]!;
        vectors[k + a] = ra;
        rsNew += ra * ra;
      }
      const beta = rsNew / rs;
      for (let a = 0; a < k; a++) vectors[2 * k + a] = vectors[k + a]! + beta * vectors[2 * k + a]!;
      rs = rsNew;
    }
    for (let a = 0; a < k; a++) target[base + a] = vectors[a]!;
  }
}

/** products[j] = weights[j]·(yⱼ·v) for v = vectors[from..from+k). */
function weightedProjections(
  block: Float64Array,
  weights: Float64Array,
  nnz: number,
  k: number,
  vectors: Float64Array,
  from: number,
  products: Float64Array,
): void {
  multiplyRows(block, nnz, k, vectors, from, products, 0);
  for (let j = 0; j < nnz; j++) products[j]! *= weights[j]!;
}

/** vectors[out..out+k) += Σⱼ coefficients[j]·yⱼ, four rows per pass: a quarter of the loads and stores of `out`. */
function addCombination(
  block: Float64Array,
  coefficients: Float64Array,
  nnz: number,
  k: number,
  vectors: Float64Array,
  out: number,
): void {
  let j = 0;
  for (; j + 4 <= nnz; j += 4) {
    const s0 = coefficients[j]!;
    const s1 = coefficients[j + 1]!;
    const s2 = coefficients[j + 2]!;
    const s3 = coefficients[j + 3]!;
    const b0 = j * k;
    const b1 = b0 + k;
    const b2 = b1 + k;
    const b3 = b2 + k;
    for (let a = 0; a < k; a++)
      vectors[out + a]! +=
        s0 * block[b0 + a]! + s1 * block[b1 + a]! + s2 * block[b2 + a]! + s3 * block[b3 + a]!;
  }
  for (; j < nnz; j++) {
    const scale = coefficients[j]!;
    const at = j * k;
    for (let a = 0; a < k; a++) vectors[out + a]! += scale * block[at + a]!;
  }
}
