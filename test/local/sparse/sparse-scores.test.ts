import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopKHeap } from '../../../src/core/top-k-heap.ts';
import { SparseScores, selectTopKAmong } from '../../../src/local/sparse/index.ts';

describe('SparseScores', () => {
  it('accumulates, lists each touched entry once and clears only those back to 0', () => {
    const scores = new SparseScores(6);
    scores.add(4, 1);
    scores.add(1, 0.5);
    scores.add(4, 2);
    expect(Array.from(scores.touched.subarray(0, scores.count))).toEqual([4, 1]);
    expect(Array.from(scores.values)).toEqual([0, 0.5, 0, 0, 3, 0]);
    const out = new Float32Array(6).fill(9);
    scores.drainInto(out);
    expect(Array.from(out)).toEqual([0, 0.5, 0, 0, 3, 0]);
    expect(scores.count).toBe(0);
    expect(Array.from(scores.values)).toEqual([0, 0, 0, 0, 0, 0]);
    scores.add(4, 1);
    expect(scores.count).toBe(1);
  });

  it('moves scaled entries of a range into another and clears itself', () => {
    const part = new SparseScores(5);
    part.add(0, 4);
    part.add(3, 2);
    part.add(4, 8);
    expect(part.maxIn(0, 4)).toBe(4);
    const blend = new SparseScores(5);
    blend.add(3, 1);
    part.drainScaledInto(blend, 0.5, 0, 4);
    expect(Array.from(blend.values)).toEqual([2, 0, 0, 2, 0]);
    expect(part.count).toBe(0);
    expect(Array.from(part.values)).toEqual([0, 0, 0, 0, 0]);
  });

  it('adds a dense array through its non-zero entries and resizes when asked', () => {
    const scores = new SparseScores(4);
    scores.addDense(Float32Array.of(0, 2, 0));
    expect(Array.from(scores.touched.subarray(0, scores.count))).toEqual([1]);
    scores.reset(8);
    expect(scores.size).toBe(8);
    expect(scores.count).toBe(0);
    expect(() => scores.drainInto(new Float32Array(3))).toThrow(/length 8/);
  });
});

/** The definition, by sorting everything: positive, not excluded, best first, ties to the smaller index. */
function referenceTopK(scores: Float32Array, k: number, exclude: Uint8Array): number[] {
  return Array.from(scores.keys())
    .filter((i) => scores[i]! > 0 && exclude[i] === 0)
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k);
}

describe('selectTopKAmong', () => {
  it('matches the sorted definition, ties at the cut included, whatever the candidate order', () => {
    // Few distinct values so ties at the cut are common.
    const value = fc.constantFrom(0, 0.25, 0.5, 1, 2, Number.NaN);
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 1000 }),
        (values, k, seed) => {
          const scores = Float32Array.from(values);
          const exclude = Uint8Array.from(values, (_, i) => ((i * 7 + seed) % 5 === 0 ? 1 : 0));
          const touched = Int32Array.from(values.keys()).filter((i) => scores[i] !== 0);
          // A seeded shuffle: candidates arrive in no particular order.
          for (let i = touched.length - 1; i > 0; i--) {
            const j = (seed * 31 + i * 17) % (i + 1);
            [touched[i], touched[j]] = [touched[j]!, touched[i]!];
          }
          const top = selectTopKAmong(scores, touched, touched.length, k, exclude);
          expect(Array.from(top.items)).toEqual(referenceTopK(scores, k, exclude));
        },
      ),
    );
  });
});

describe('TopKHeap.admits', () => {
  it('admits anything until full, then only values above the kept minimum (or tied with a smaller id)', () => {
    const heap = new TopKHeap(2);
    expect(heap.admits(5, 0)).toBe(true);
    heap.push(1, 1);
    heap.push(2, 3);
    expect(heap.admits(5, 1)).toBe(false);
    expect(heap.admits(5, 1.5)).toBe(true);
    expect(heap.admits(0, 1)).toBe(true);
  });
});
