/**
 * Small dense kernels over row-major typed arrays (k × k systems of latent-factor models). Factors are stored
 * as Float32 to halve memory; sums run in Float64 so a Gram matrix over millions of rows keeps its precision.
 */

/** `out` (k × k) = FᵀF + regularization·I for the first `rows` rows of `f` (rows × k). */
export function gramMatrix(
  f: Float32Array,
  rows: number,
  k: number,
  regularization: number,
  out: Float64Array,
): void {
  out.fill(0, 0, k * k);
  // Four rows of f per pass over the upper triangle: a quarter of the loads and stores of `out`.
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const f0 = r * k;
    const f1 = f0 + k;
    const f2 = f1 + k;
    const f3 = f2 + k;
    for (let a = 0; a < k; a++) {
      const x0 = f[f0 + a]!;
      const x1 = f[f1 + a]!;
      const x2 = f[f2 + a]!;
      const x3 = f[f3 + a]!;
      const row = a * k;
      for (let b = a; b < k; b++)
        out[row + b]! += x0 * f[f0 + b]! + x1 * f[f1 + b]! + x2 * f[f2 + b]! + x3 * f[f3 + b]!;
    }
  }
  for (; r < rows; r++) {
    const base = r * k;
    for (let a = 0; a < k; a++) {
      const fa = f[base + a]!;
      const row = a * k;
      for (let b = a; b < k; b++) out[row + b]! += fa * f[base + b]!;
    }
  }
  for (let a = 0; a < k; a++) {
    out[a * k + a]! += regularization;
    for (let b = a + 1; b < k; b++) out[b * k + a] = out[a * k + b]!;
  }
}

/**
 * Σᵢ a[ai+i]·b[bi+i] for i < k, in four interleaved sums: one running sum waits on each add's latency, four
 * keep the multiplier busy (about twice as fast in V8).
 */
export function dotAt(a: Float64Array, ai: number, b: Float64Array, bi: number, k: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= k; i += 4) {
    s0 += a[ai + i]! * b[bi + i]!;
    s1 += a[ai + i + 1]! * b[bi + i + 1]!;
    s2 += a[ai + i + 2]! * b[bi + i + 2]!;
    s3 += a[ai + i + 3]! * b[bi + i + 3]!;
  }
  for (; i < k; i++) s0 += a[ai + i]! * b[bi + i]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * out[at + r] = Σᵦ m[r·k + b]·v[vi + b] for the first `rows` rows of `m` (rows × k). Four rows per pass
 * share each load of v and run four independent sums: about twice the speed of one dot product per row.
 */
export function multiplyRows(
  m: Float64Array,
  rows: number,
  k: number,
  v: Float64Array,
  vi: number,
  out: Float64Array,
  at: number,
): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const m0 = r * k;
    const m1 = m0 + k;
    const m2 = m1 + k;
    const m3 = m2 + k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let b = 0; b < k; b++) {
      const vb = v[vi + b]!;
      s0 += m[m0 + b]! * vb;
      s1 += m[m1 + b]! * vb;
      s2 += m[m2 + b]! * vb;
      s3 += m[m3 + b]! * vb;
    }
    out[at + r] = s0;
    out[at + r + 1] = s1;
    out[at + r + 2] = s2;
    out[at + r + 3] = s3;
  }
  for (; r < rows; r++) out[at + r] = dotAt(m, r * k, v, vi, k);
}

/** `out` += scale · (row `row` of `f`). */
export function addScaledRow(
  f: Float32Array,
  row: number,
  scale: number,
  k: number,
  out: Float64Array,
): void {
  const base = row * k;
  for (let a = 0; a < k; a++) out[a]! += scale * f[base + a]!;
}

/** `m` (k × k) += scale · yyᵀ for y = row `row` of `f`; fills the upper triangle only (see `mirrorUpper`). */
export function addScaledOuter(
  f: Float32Array,
  row: number,
  scale: number,
  k: number,
  m: Float64Array,
): void {
  const base = row * k;
  for (let a = 0; a < k; a++) {
    const ya = scale * f[base + a]!;
    if (ya === 0) continue;
    const mRow = a * k;
    for (let b = a; b < k; b++) m[mRow + b]! += ya * f[base + b]!;
  }
}

/** Copies the upper triangle of `m` onto the lower one. */
export function mirrorUpper(m: Float64Array, k: number): void {
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) m[b * k + a] = m[a * k + b]!;
}

/**
 * Solves A·x = b for a symmetric positive definite `a` (k × k) in place: `a` becomes its Cholesky factor L
 * (lower triangle) and `b` the solution. Returns false when A is not positive definite (left partly factored).
 */
export function choleskySolve(a: Float64Array, b: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    let diagonal = a[j * k + j]!;
    for (let p = 0; p < j; p++) diagonal -= a[j * k + p]! ** 2;
    if (!(diagonal > 0)) return false;
    const ljj = Math.sqrt(diagonal);
    a[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let sum = a[i * k + j]!;
      for (let p = 0; p < j; p++) sum -= a[i * k + p]! * a[j * k + p]!;
      a[i * k + j] = sum / ljj;
    }
  }
  for (let i = 0; i < k; i++) {
    let sum = b[i]!;
    for (let p = 0; p < i; p++) sum -= a[i * k + p]! * b[p]!;
    b[i] = sum / a[i * k + i]!;
  }
  for (let i = k - 1; i >= 0; i--) {
    let sum = b[i]!;
    for (let p = i + 1; p < k; p++) sum -= a[p * k + i]! * b[p]!;
    b[i] = sum / a[i * k + i]!;
  }
  return true;
}
