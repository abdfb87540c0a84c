import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idOrder, topK } from '../../src/core/top-k.ts';
import { TopKHeap } from '../../src/core/top-k-heap.ts';

/** The tie rule by definition: sort everything by value descending, then tie key ascending, cut at k. */
function sortedTopK(values: readonly number[], k: number, key: (i: number) => number = (i) => i): number[] {
  return values
    .map((_, i) => i)
    .sort((a, b) => values[b]! - values[a]! || key(a) - key(b))
    .slice(0, k);
}

/** A seeded permutation of 0..n-1, so pairs reach the heap in no particular order. */
function shuffled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = (seed * 31 + i * 17) % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

describe('Module: top-k', () => {
  describe('Function: idOrder', () => {
    it('orders numeric ids as numbers', () => {
      expect(Array.from(idOrder(['10', '9', '100', '1']))).toEqual([2, 1, 3, 0]);
    });

    it('orders ids as strings once any id is not a plain number', () => {
      expect(Array.from(idOrder(['10', '9', 'a', '1']))).toEqual([1, 2, 3, 0]);
    });
  });

  describe('Function: topK', () => {
    it('returns the best k, best first, with their scores', () => {
      const result = topK(Float32Array.from([0.1, 0.9, 0.5, 0.7]), 2);
      expect(Array.from(result.items)).toEqual([1, 3]);
      expect(Array.from(result.scores)).toEqual([Math.fround(0.9), Math.fround(0.7)]);
    });

    it('breaks ties by the tie-break rank, else by the smaller index', () => {
      const scores = Float32Array.from([1, 1, 1, 0]);
      expect(Array.from(topK(scores, 2).items)).toEqual([0, 1]);
      // ids "10", "9", "2", "1": numeric order puts item 2 ("2") before item 1 ("9") before item 0 ("10").
      const rank = idOrder(['10', '9', '2', '1']);
      expect(Array.from(topK(scores, 3, undefined, rank).items)).toEqual([2, 1, 0]);
    });

    it('skips excluded items and returns fewer when fewer are eligible', () => {
      const scores = Float32Array.from([3, 2, 1]);
      expect(Array.from(topK(scores, 5, Uint8Array.from([1, 0, 0])).items)).toEqual([1, 2]);
      expect(topK(scores, 0).items.length).toBe(0);
    });

    it('ranks NaN scores last', () => {
      expect(Array.from(topK(Float32Array.from([Number.NaN, -5, 2]), 3).items)).toEqual([2, 1, 0]);
    });

    it('fails on a negative k or a mask of the wrong length', () => {
      expect(() => topK(new Float32Array(2), -1)).toThrow(/topK: k must be a non-negative integer/);
      expect(() => topK(new Float32Array(2), 1, new Uint8Array(3))).toThrow(/topK: exclude has length 3/);
    });

    it('agrees with a full sort for any scores', () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 40 }),
          fc.integer({ min: 0, max: 45 }),
          (values, k) => {
            const scores = Float32Array.from(values);
            const expected = values
              .map((_, i) => i)
              .sort((a, b) => values[b]! - values[a]! || a - b)
              .slice(0, k);
            expect(Array.from(topK(scores, k).items)).toEqual(expected);
          },
        ),
      );
    });
  });

  describe('Class: TopKHeap', () => {
    // Few distinct values so ties at the cut are common.
    const values = fc.array(fc.constantFrom(-1, 0, 0.5, 1, 2, 3), { maxLength: 40 });

    it('keeps what sorting by (value desc, id asc) keeps, whatever the push order', () => {
      fc.assert(
        fc.property(values, fc.integer({ min: 1, max: 12 }), fc.nat(1000), (vs, k, seed) => {
          const heap = new TopKHeap(k);
          for (const i of shuffled(vs.length, seed)) if (heap.admits(i, vs[i]!)) heap.push(i, vs[i]!);
          const n = heap.drainBestFirst();
          const expected = sortedTopK(vs, k);
          expect(Array.from(heap.ids.subarray(0, n))).toEqual(expected);
          expect(Array.from(heap.values.subarray(0, n))).toEqual(expected.map((i) => vs[i]));
          expect(heap.size).toBe(0);
        }),
      );
    });

    it('agrees whether or not pushes are screened by admits, and admits exactly what push keeps', () => {
      fc.assert(
        fc.property(values, fc.integer({ min: 1, max: 6 }), fc.nat(1000), (vs, k, seed) => {
          const screened = new TopKHeap(k);
          const unscreened = new TopKHeap(k);
          for (const i of shuffled(vs.length, seed)) {
            const before = Array.from(unscreened.ids.subarray(0, unscreened.size)).sort();
            const admitted = unscreened.admits(i, vs[i]!);
            unscreened.push(i, vs[i]!);
            const after = Array.from(unscreened.ids.subarray(0, unscreened.size)).sort();
            expect(after.includes(i)).toBe(admitted);
            if (!admitted) expect(after).toEqual(before);
            if (screened.admits(i, vs[i]!)) screened.push(i, vs[i]!);
          }
          const n = screened.drainBestFirst();
          expect(unscreened.drainBestFirst()).toBe(n);
          expect(Array.from(screened.ids.subarray(0, n))).toEqual(Array.from(unscreened.ids.subarray(0, n)));
        }),
      );
    });

    it('breaks ties by the tie rank when given one', () => {
      fc.assert(
        fc.property(values, fc.integer({ min: 1, max: 12 }), fc.nat(1000), (vs, k, seed) => {
          const rank = Int32Array.from(shuffled(vs.length, seed + 1));
          const heap = new TopKHeap(k, rank);
          for (const i of shuffled(vs.length, seed)) heap.push(i, vs[i]!);
          const n = heap.drainBestFirst();
          expect(Array.from(heap.ids.subarray(0, n))).toEqual(sortedTopK(vs, k, (i) => rank[i]!));
        }),
      );
    });

    it('is reusable after reset and rejects a capacity below 1', () => {
      const heap = new TopKHeap(2);
      heap.push(3, 1);
      heap.push(4, 1);
      heap.push(1, 1);
      heap.reset();
      heap.push(9, 0.5);
      expect(heap.drainBestFirst()).toBe(1);
      expect(heap.ids[0]).toBe(9);
      expect(() => new TopKHeap(0)).toThrow(/TopKHeap: capacity must be a positive integer/);
    });
  });

  describe('Function: topK (ties)', () => {
    it('agrees with a full sort by (score desc, tie-break asc), exclusions and NaN included', () => {
      const score = fc.constantFrom(0, 1, 2, Number.NaN, Number.NEGATIVE_INFINITY);
      fc.assert(
        fc.property(
          fc.array(score, { maxLength: 40 }),
          fc.integer({ min: 0, max: 45 }),
          fc.nat(1000),
          fc.boolean(),
          (vs, k, seed, ranked) => {
            const scores = Float32Array.from(vs);
            const exclude = Uint8Array.from(vs, (_, i) => ((i * 7 + seed) % 5 === 0 ? 1 : 0));
            const rank = ranked ? Int32Array.from(shuffled(vs.length, seed)) : undefined;
            // NaN ranks last, as -Infinity (ties among them by the tie-break like any other).
            const sortable = vs.map((v) => (Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v));
            const eligible = sortable.map((v, i) => (exclude[i] === 1 ? Number.NaN : v));
            const expected = sortedTopK(sortable, vs.length, rank ? (i) => rank[i]! : undefined)
              .filter((i) => !Number.isNaN(eligible[i]!))
              .slice(0, k);
            expect(Array.from(topK(scores, k, exclude, rank).items)).toEqual(expected);
          },
        ),
      );
    });
  });
});
