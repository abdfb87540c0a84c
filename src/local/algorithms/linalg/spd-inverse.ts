import { InvalidInputError } from '../../../errors.ts';

/**
 * Dense symmetric positive-definite inverse over a row-major Float64Array, in place, in three O(n³/3)
 * sweeps: Cholesky A = LLᵀ, U = L⁻ᵀ, A⁻¹ = UUᵀ. Every sweep reduces to dot products of contiguous row
 * segments, computed in tiles (CHUNK rows × K_BLOCK columns stay in L2) by a 2×2 register-blocked kernel:
 * V8 does not vectorise, so reusing each load twice is what keeps the loops near one multiply-add per cycle.
 * The three factors share the buffer (L in the strict lower triangle, U in the upper, the result in the
 * lower), so the whole inverse needs n² doubles plus O(n), which is what bounds the dense catalogue size.
 */

const CHUNK = 64;
const K_BLOCK = 256;

/**
 * dest(i, j) += alpha × Σ_{k ∈ [k0, k1)} x[i·n + k] · y[j·n + k] for i ∈ [i0, i1), j ∈ [j0, j1) with
 * j ≤ i − gap (gap 0: lower triangle with the diagonal, 1: strictly lower). dest(i, j) is
 * a[i·n + j], or a[j·n + i] when `transposed`.
 */
function addDots(
  a: Float64Array,
  n: number,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  k0: number,
  k1: number,
  alpha: number,
  gap: number,
  transposed: boolean,
): void {
  const si = transposed ? 1 : n;
  const sj = transposed ? n : 1;
  for (let kb = k0; kb < k1; kb += K_BLOCK) {
    const ke = Math.min(k1, kb + K_BLOCK);
    const len = ke - kb;
    let i = i0;
    for (; i + 1 < i1; i += 2) {
      const r0 = i * n + kb;
      const r1 = r0 + n;
      // Columns every one of the two rows may take, then the one extra the second row may.
      const jEnd0 = Math.min(j1, i + 1 - gap);
      const jEnd1 = Math.min(j1, i + 2 - gap);
      let j = j0;
      for (; j + 1 < jEnd0; j += 2) {
        const c0 = j * n + kb;
        const c1 = c0 + n;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let k = 0; k < len; k++) {
          const x0 = a[r0 + k]!;
          const x1 = a[r1 + k]!;
          const y0 = a[c0 + k]!;
          const y1 = a[c1 + k]!;
          s00 += x0 * y0;
          s01 += x0 * y1;
          s10 += x1 * y0;
          s11 += x1 * y1;
        }
        const d = i * si + j * sj;
        a[d]! += alpha * s00;
        a[d + sj]! += alpha * s01;
        a[d + si]! += alpha * s10;
        a[d + si + sj]! += alpha * s11;
      }
      for (; j < jEnd1; j++) {
        const c0 = j * n + kb;
        let s0 = 0;
        let s1 = 0;
        for (let k = 0; k < len; k++) {
          const y = a[c0 + k]!;
          s0 += a[r0 + k]! * y;
          s1 += a[r1 + k]! * y;
        }
        if (j < jEnd0) a[i * si + j * sj]! += alpha * s0;
        a[(i + 1) * si + j * sj]! += alpha * s1;
      }
    }
    for (; i < i1; i++) {
      const r0 = i * n + kb;
      const jEnd = Math.min(j1, i + 1 - gap);
      for (let j = j0; j < jEnd; j++) {
        const c0 = j * n + kb;
        let s = 0;
        for (let k = 0; k < len; k++) s += a[r0 + k]! * a[c0 + k]!;
        a[i * si + j * sj]! += alpha * s;
      }
    }
  }
}

/**
 * Left-looking blocked Cholesky of the lower triangle, in place (the upper triangle is left alone).
 * Throws when a pivot is not positive: the matrix is not positive definite (to working precision).
 */
export function choleskyInPlace(a: Float64Array, n: number): void {
  assertSquare(a, n);
  for (let js = 0; js < n; js += CHUNK) {
    const je = Math.min(n, js + CHUNK);
    // Everything the chunk's columns owe to the columns before it, as one tiled product.
    addDots(a, n, js, n, js, je, 0, js, -1, 0, false);
    for (let i = js; i < n; i++) {
      const ri = i * n;
      const jEnd = Math.min(je, i + 1);
      for (let j = js; j < jEnd; j++) {
        const rj = j * n;
        let s = a[ri + j]!;
        for (let k = js; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
        if (i === j) {
          if (!(s > 0))
            throw new InvalidInputError([
              { field: 'matrix', message: `must be positive definite (pivot ${j} is ${s})` },
            ]);
          a[ri + j] = Math.sqrt(s);
        } else a[ri + j] = s / a[rj + j]!;
      }
    }
  }
}

/** Inverts a symmetric positive-definite n × n matrix (row-major, both triangles set) in place. */
export function invertSpdInPlace(a: Float64Array, n: number): void {
  choleskyInPlace(a, n);
  const diagonal = new Float64Array(n);
  for (let i = 0; i < n; i++) diagonal[i] = a[i * n + i]!;
  upperInverseTranspose(a, n, diagonal);
  gramOfUpper(a, n, diagonal);
}

/**
 * U = L⁻ᵀ into the upper triangle (diagonal included), reading L from the strict lower triangle and its
 * diagonal from `diagonal`. Row j of U is column j of L⁻¹: forward substitution U[j][i] =
 * (δ_ij − Σ_{k∈[j,i)} L[i][k]·U[j][k]) / L[i][i], done for CHUNK values of i at a time.
 */
function upperInverseTranspose(a: Float64Array, n: number, diagonal: Float64Array): void {
  for (let i = 0; i < n; i++) {
    a[i * n + i] = 1;
    for (let k = i + 1; k < n; k++) a[i * n + k] = 0;
  }
  for (let is = 0; is < n; is += CHUNK) {
    const ie = Math.min(n, is + CHUNK);
    // Bulk: for j in whole tiles below `is`, the terms k ∈ [tile end, is) are uniform across the tile.
    for (let js = 0; js < is; js += CHUNK) {
      const je = Math.min(is, js + CHUNK);
      addDots(a, n, is, ie, js, je, je, is, -1, 0, true);
      for (let j = js; j < je; j++) {
        const rj = j * n;
        for (let i = is; i < ie; i++) {
          const ri = i * n;
          let s = 0;
          for (let k = j; k < je; k++) s += a[ri + k]! * a[rj + k]!;
          a[rj + i]! -= s;
        }
      }
    }
    // The chunk's own terms k ∈ [max(j, is), i), sequential in i.
    for (let i = is; i < ie; i++) {
      const ri = i * n;
      const inv = 1 / diagonal[i]!;
      for (let j = 0; j <= i; j++) {
        const rj = j * n;
        let s = j === i ? 1 : a[rj + i]!;
        for (let k = Math.max(j, is); k < i; k++) s -= a[ri + k]! * a[rj + k]!;
        a[rj + i] = s * inv;
      }
    }
  }
}

/** A⁻¹ = UUᵀ from U in the upper triangle: (UUᵀ)[i][j] = Σ_{k≥i} U[i][k]·U[j][k] for j ≤ i; then mirrors. */
function gramOfUpper(a: Float64Array, n: number, scratch: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = 0;
    for (let k = i; k < n; k++) s += a[ri + k]! * a[ri + k]!;
    scratch[i] = s;
    for (let j = 0; j < i; j++) a[ri + j] = 0;
  }
  for (let is = 0; is < n; is += CHUNK) {
    const ie = Math.min(n, is + CHUNK);
    // Tiles strictly left of the diagonal block, then the diagonal block itself (strictly lower pairs).
    addDots(a, n, is, ie, 0, is, ie, n, 1, 1, false);
    addDots(a, n, is, ie, is, ie, ie, n, 1, 1, false);
    for (let i = is; i < ie; i++) {
      const ri = i * n;
      for (let j = 0; j < i; j++) {
        const rj = j * n;
        let s = 0;
        for (let k = i; k < ie; k++) s += a[ri + k]! * a[rj + k]!;
        a[ri + j]! += s;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    a[i * n + i] = scratch[i]!;
    for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j]!;
  }
}

function assertSquare(a: Float64Array, n: number): void {
  if (!Number.isInteger(n) || n < 0 || a.length < n * n)
    throw new RangeError(`spd-inverse: need an n × n buffer for n = ${n}, got length ${a.length}`);
}
