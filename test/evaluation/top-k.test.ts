import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idOrder, topK } from '../../src/core/top-k.ts';

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
});
