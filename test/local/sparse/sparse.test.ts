import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopKHeap } from '../../../src/core/top-k-heap.ts';
import {
  assertCsr,
  type Csr,
  fromCoo,
  normalizeRows,
  rowNorms,
  selectTopKAmong,
  topKProduct,
  transpose,
} from '../../../src/local/sparse/index.ts';

function dense(m: Csr): number[][] {
  const out = Array.from({ length: m.rows }, () => new Array<number>(m.cols).fill(0));
  for (let r = 0; r < m.rows; r++)
    for (let e = m.indptr[r]!; e < m.indptr[r + 1]!; e++) out[r]![m.indices[e]!] = m.data[e]!;
  return out;
}

// [[1 0 2]
//  [0 3 0]
//  [4 0 5]]
const a = fromCoo(
  3,
  3,
  Int32Array.of(2, 0, 1, 0, 2),
  Int32Array.of(2, 2, 1, 0, 0),
  Float32Array.of(5, 2, 3, 1, 4),
);

describe('fromCoo', () => {
  it('sorts columns within rows and sums duplicates', () => {
    const m = fromCoo(
      2,
      3,
      Int32Array.of(1, 0, 1, 1),
      Int32Array.of(2, 1, 0, 2),
      Float32Array.of(1, 2, 3, 4),
    );
    expect(Array.from(m.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(m.indices)).toEqual([1, 0, 2]);
    expect(Array.from(m.data)).toEqual([2, 3, 5]);
  });

  it('defaults values to ones', () => {
    expect(dense(fromCoo(1, 2, Int32Array.of(0, 0), Int32Array.of(1, 1)))).toEqual([[0, 2]]);
  });

  it('fails with a RangeError naming itself for entries outside the shape', () => {
    expect(() => fromCoo(2, 2, Int32Array.of(2), Int32Array.of(0))).toThrow(/fromCoo: entry 0 at \(2, 0\)/);
    expect(() => fromCoo(2, 2, Int32Array.of(0), Int32Array.of(0, 1))).toThrow(RangeError);
  });
});

describe('transpose', () => {
  it('matches the hand-computed transpose', () => {
    expect(dense(transpose(a))).toEqual([
      [1, 0, 4],
      [0, 3, 0],
      [2, 0, 5],
    ]);
  });
});

describe('normalizeRows and rowNorms', () => {
  it('scales rows to unit L1 or L2 norm and leaves empty rows empty', () => {
    const m = fromCoo(2, 2, Int32Array.of(0, 0), Int32Array.of(0, 1), Float32Array.of(3, 4));
    expect(dense(normalizeRows(m, 'l1'))[0]).toEqual([3 / 7, 4 / 7].map(Math.fround));
    expect(dense(normalizeRows(m, 'l2'))).toEqual([[0.6, 0.8].map(Math.fround), [0, 0]]);
    expect(Array.from(rowNorms(m))).toEqual([5, 0]);
  });
});

describe('topKProduct', () => {
  it('keeps what sorting each row by (value desc, column asc) keeps, whatever the touch order', () => {
    // Small integer entries: products are exact and ties at the cut are common.
    const matrix = fc.array(fc.array(fc.constantFrom(0, 0, 1, 2), { minLength: 6, maxLength: 6 }), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(matrix, fc.integer({ min: 1, max: 5 }), (rows, k) => {
        const rowIndex: number[] = [];
        const colIndex: number[] = [];
        const values: number[] = [];
        for (const [r, row] of rows.entries())
          for (const [c, v] of row.entries()) {
            if (v === 0) continue;
            rowIndex.push(r);
            colIndex.push(c);
            values.push(v);
          }
        const m = fromCoo(
          rows.length,
          6,
          Int32Array.from(rowIndex),
          Int32Array.from(colIndex),
          Float32Array.from(values),
        );
        const mt = transpose(m);
        const product = dense(topKProduct(m, mt, { k }));
        rows.forEach((row, i) => {
          const full = rows.map((other) => row.reduce<number>((sum, v, c) => sum + v * other[c]!, 0));
          const kept = full
            .map((_, j) => j)
            .filter((j) => full[j]! > 0)
            .sort((x, y) => full[y]! - full[x]! || x - y)
            .slice(0, k);
          expect(product[i]).toEqual(full.map((v, j) => (kept.includes(j) ? v : 0)));
        });
      }),
    );
  });

  it('equals the dense product when k covers every column', () => {
    // A × Aᵀ = [[5 0 14] [0 9 0] [14 0 41]]
    expect(dense(topKProduct(a, transpose(a), { k: 3 }))).toEqual([
      [5, 0, 14],
      [0, 9, 0],
      [14, 0, 41],
    ]);
  });

  it('keeps the k largest entries per row and can skip the diagonal', () => {
    expect(dense(topKProduct(a, transpose(a), { k: 1 }))).toEqual([
      [0, 0, 14],
      [0, 9, 0],
      [0, 0, 41],
    ]);
    expect(dense(topKProduct(a, transpose(a), { k: 3, skipDiagonal: true }))).toEqual([
      [0, 0, 14],
      [0, 0, 0],
      [14, 0, 0],
    ]);
  });

  it('applies cosine denominators with shrinkage and column scaling', () => {
    const norms = rowNorms(a);
    const m = topKProduct(a, transpose(a), {
      k: 3,
      rowNorms: norms,
      colNorms: norms,
      shrink: 1,
      colScale: Float32Array.of(1, 1, 0.5),
    });
    expect(dense(m)[0]![2]).toBeCloseTo((14 / (Math.sqrt(5) * Math.sqrt(41) + 1)) * 0.5, 5);
    expect(dense(m)[1]![1]).toBeCloseTo(9 / (9 + 1), 5);
  });

  it('fails with a RangeError naming itself for mismatched shapes or options', () => {
    const wide = fromCoo(1, 2, Int32Array.of(0), Int32Array.of(1));
    expect(() => topKProduct(wide, wide, { k: 1 })).toThrow(/topKProduct: cannot multiply 1x2 by 1x2/);
    expect(() => topKProduct(a, a, { k: 0 })).toThrow(/topKProduct: k must be a positive integer/);
    expect(() => topKProduct(a, a, { k: 1, rowNorms: rowNorms(a) })).toThrow(/given together/);
  });
});

describe('TopKHeap', () => {
  it('keeps the k largest values pushed', () => {
    const heap = new TopKHeap(3);
    for (const [i, v] of [5, 1, 9, 7, 3, 8].entries()) heap.push(i, v);
    const kept = Array.from(heap.ids.subarray(0, heap.size)).sort();
    expect(kept).toEqual([2, 3, 5]);
  });
});

describe('selectTopKAmong', () => {
  it('returns the best positive scores first, ties to the smaller index, skipping excluded items', () => {
    const scores = Float32Array.of(0.5, 2, 0, 2, Number.NaN, 1, 3);
    const all = Int32Array.of(6, 5, 4, 3, 2, 1, 0);
    const top = selectTopKAmong(scores, all, all.length, 4, Uint8Array.of(0, 0, 0, 0, 0, 0, 1));
    expect(Array.from(top.items)).toEqual([1, 3, 5, 0]);
    expect(Array.from(top.scores)).toEqual([2, 2, 1, 0.5]);
    expect(selectTopKAmong(scores, all, all.length, 10).items.length).toBe(5);
    expect(Array.from(selectTopKAmong(scores, all, 2, 10).items)).toEqual([6, 5]);
  });
});

describe('assertCsr', () => {
  it('fails with a RangeError naming the caller for a malformed matrix', () => {
    const bad: Csr = {
      rows: 2,
      cols: 2,
      indptr: Int32Array.of(0, 1),
      indices: Int32Array.of(0),
      data: Float32Array.of(1),
    };
    expect(() => assertCsr(bad, 'caller')).toThrow(/caller: indptr length must be rows \+ 1/);
  });
});
