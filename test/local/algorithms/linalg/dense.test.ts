import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src/core/random.ts';
import { CgScratch, solveRows } from '../../../../src/local/algorithms/linalg/als-cg.ts';
import {
  addScaledOuter,
  choleskySolve,
  dotAt,
  gramMatrix,
  mirrorUpper,
  multiplyRows,
} from '../../../../src/local/algorithms/linalg/dense.ts';

function randomMatrix(seed: number, rows: number, k: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * k }, () => rng.normal());
}

describe('dense kernels', () => {
  it('gramMatrix is FᵀF + λI', () => {
    const k = 5;
    // Nine rows: two passes of four and one left over.
    const f = randomMatrix(1, 9, k);
    const gram = new Float64Array(k * k).fill(7);
    gramMatrix(f, 9, k, 0.5, gram);
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        let sum = a === b ? 0.5 : 0;
        for (let r = 0; r < 9; r++) sum += f[r * k + a]! * f[r * k + b]!;
        expect(gram[a * k + b]).toBeCloseTo(sum, 10);
      }
  });

  it('dotAt sums every term whatever k mod 4', () => {
    for (const k of [1, 3, 4, 7, 64]) {
      const a = Float64Array.from({ length: k + 2 }, (_, i) => i + 1);
      const b = Float64Array.from({ length: k }, (_, i) => 2 * i - 3);
      let expected = 0;
      for (let i = 0; i < k; i++) expected += a[i + 2]! * b[i]!;
      expect(dotAt(a, 2, b, 0, k)).toBe(expected);
    }
  });

  it('multiplyRows multiplies every row whatever the row count mod 4', () => {
    const k = 3;
    for (const rows of [1, 4, 6]) {
      const m = Float64Array.from({ length: rows * k }, (_, i) => (i % 5) - 2);
      const v = Float64Array.of(9, 0.5, -1, 2);
      const out = new Float64Array(rows + 1);
      multiplyRows(m, rows, k, v, 1, out, 1);
      for (let r = 0; r < rows; r++) expect(out[r + 1]).toBe(dotAt(m, r * k, v, 1, k));
      expect(out[0]).toBe(0);
    }
  });

  it('choleskySolve solves a positive definite system and refuses an indefinite one', () => {
    const k = 6;
    const a = new Float64Array(k * k);
    gramMatrix(randomMatrix(2, 10, k), 10, k, 1, a);
    const original = a.slice();
    const x = Float64Array.from({ length: k }, (_, i) => i - 2);
    const b = new Float64Array(k);
    for (let i = 0; i < k; i++) b[i] = dotAt(original, i * k, x, 0, k);
    expect(choleskySolve(a, b, k)).toBe(true);
    for (let i = 0; i < k; i++) expect(b[i]).toBeCloseTo(x[i]!, 9);
    const indefinite = Float64Array.of(1, 2, 2, 1);
    expect(choleskySolve(indefinite, Float64Array.of(1, 1), 2)).toBe(false);
  });
});

describe('solveRows', () => {
  it('converges to the exact least-squares factors given enough CG steps', () => {
    const k = 6;
    const items = 12;
    const fixed = randomMatrix(3, items, k);
    const gram = new Float64Array(k * k);
    gramMatrix(fixed, items, k, 2, gram);
    // One row with nonzeros on items 1, 4 and 9 (r = 1, 2, 1), one empty row.
    const indptr = Int32Array.of(0, 3, 3);
    const indices = Int32Array.of(1, 4, 9);
    const values = Float32Array.of(1, 2, 1);
    const target = Float32Array.from({ length: 2 * k }, () => 0.3);
    const alpha = 1.5;
    solveRows(
      { indptr, indices, values, target, fixed, gram, rows: 2, factors: k, alpha, cgSteps: 50 },
      0,
      2,
      new CgScratch(),
    );
    const a = gram.slice();
    const b = new Float64Array(k);
    for (let j = 0; j < 3; j++) {
      addScaledOuter(fixed, indices[j]!, alpha * values[j]!, k, a);
      for (let c = 0; c < k; c++) b[c]! += (1 + alpha * values[j]!) * fixed[indices[j]! * k + c]!;
    }
    mirrorUpper(a, k);
    choleskySolve(a, b, k);
    for (let c = 0; c < k; c++) expect(target[c]).toBeCloseTo(b[c]!, 5);
    expect(Array.from(target.subarray(k))).toEqual(new Array(k).fill(0));
  });
});
