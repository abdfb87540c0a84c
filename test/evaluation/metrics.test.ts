import { describe, expect, it } from 'vitest';
import {
  averagePrecisionAtK,
  catalogueCoverage,
  ndcgAtK,
  noveltyAtK,
  precisionAtK,
  recallAtK,
  reciprocalRank,
  selfInformation,
  serendipityAtK,
} from '../../src/core/ranking-metrics.ts';

const ranked = Int32Array.from([7, 3, 9, 1, 4]);
const relevant = new Set([3, 4, 8]);
const none = new Set<number>();

describe('Module: metrics', () => {
  describe('Function: precisionAtK', () => {
    it('counts hits in the top k divided by k', () => {
      expect(precisionAtK(ranked, relevant, 2)).toBe(1 / 2);
      expect(precisionAtK(ranked, relevant, 5)).toBe(2 / 5);
    });

    it('still divides by k when the list is shorter than k', () => {
      expect(precisionAtK(ranked, relevant, 10)).toBe(2 / 10);
    });

    it('is 0 for an empty relevant set', () => {
      expect(precisionAtK(ranked, none, 5)).toBe(0);
    });

    it('fails for a k below 1', () => {
      expect(() => precisionAtK(ranked, relevant, 0)).toThrow(/precisionAtK: k must be a positive integer/);
    });
  });

  describe('Function: recallAtK', () => {
    it('divides hits by the number of relevant items', () => {
      expect(recallAtK(ranked, relevant, 2)).toBe(1 / 3);
      expect(recallAtK(ranked, relevant, 20)).toBe(2 / 3);
      expect(recallAtK(ranked, none, 5)).toBe(0);
    });
  });

  describe('Function: ndcgAtK', () => {
    it('uses binary gain and an ideal DCG over min(|relevant|, k)', () => {
      // hits at positions 2 and 5: 1/log2(3) + 1/log2(6); ideal fills 3 slots: 1 + 1/log2(3) + 1/2.
      const dcg = 1 / Math.log2(3) + 1 / Math.log2(6);
      expect(ndcgAtK(ranked, relevant, 5)).toBeCloseTo(dcg / (1 + 1 / Math.log2(3) + 0.5), 12);
      // k = 2: one hit at position 2, ideal has 2 slots.
      expect(ndcgAtK(ranked, relevant, 2)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 12);
    });

    it('is 1 for a perfect ranking and 0 without relevant items', () => {
      expect(ndcgAtK(Int32Array.from([3, 4, 8, 1]), relevant, 10)).toBeCloseTo(1, 12);
      expect(ndcgAtK(ranked, none, 10)).toBe(0);
    });
  });

  describe('Function: averagePrecisionAtK', () => {
    it('averages precision at each hit over min(|relevant|, k)', () => {
      expect(averagePrecisionAtK(ranked, relevant, 5)).toBeCloseTo((1 / 2 + 2 / 5) / 3, 12);
      expect(averagePrecisionAtK(ranked, relevant, 2)).toBeCloseTo(1 / 2 / 2, 12);
      expect(averagePrecisionAtK(ranked, none, 5)).toBe(0);
    });
  });

  describe('Function: reciprocalRank', () => {
    it('is 1 over the rank of the first hit, optionally cut at k', () => {
      expect(reciprocalRank(ranked, relevant)).toBe(1 / 2);
      expect(reciprocalRank(ranked, new Set([4]))).toBe(1 / 5);
      expect(reciprocalRank(ranked, new Set([4]), 3)).toBe(0);
      expect(reciprocalRank(ranked, none)).toBe(0);
    });
  });

  describe('Function: catalogueCoverage', () => {
    it('counts distinct items in the top k of all lists over the catalogue size', () => {
      const lists = [Int32Array.from([0, 1, 2]), Int32Array.from([1, 3, 9])];
      expect(catalogueCoverage(lists, 10, 2)).toBe(3 / 10);
      expect(catalogueCoverage(lists, 10, 3)).toBe(5 / 10);
    });

    it('fails on an item outside the catalogue', () => {
      expect(() => catalogueCoverage([Int32Array.from([4])], 3, 1)).toThrow(/outside catalogue of 3/);
    });
  });

  describe('Function: noveltyAtK', () => {
    it('averages −log2 of each item’s user share, treating unseen items as seen once', () => {
      const information = selfInformation([8, 2, 1, 0], 8);
      expect(Array.from(information)).toEqual([0, 2, 3, 3]);
      expect(noveltyAtK(Int32Array.from([1, 0, 2]), information, 2)).toBe(1);
      expect(noveltyAtK(Int32Array.from([]), information, 2)).toBe(0);
    });
  });

  describe('Function: serendipityAtK', () => {
    it('counts relevant items the primitive model would not show, over k', () => {
      expect(serendipityAtK(ranked, relevant, new Set([3]), 5)).toBe(1 / 5);
      expect(serendipityAtK(ranked, relevant, new Set<number>(), 5)).toBe(2 / 5);
      expect(serendipityAtK(ranked, relevant, new Set([3, 4]), 5)).toBe(0);
    });
  });
});
