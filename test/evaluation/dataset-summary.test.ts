import { describe, expect, it } from 'vitest';
import { summarizeDataset } from '../../src/evaluation/dataset-summary.ts';
import { popularityDeciles, recommendationShares } from '../../src/evaluation/popularity-deciles.ts';
import type { Dataset, IdIndex } from '../../src/local/data/types.ts';

function idIndex(ids: readonly string[]): IdIndex {
  return { ids, indexOf: new Map(ids.map((id, i) => [id, i])) };
}

/** 4 users, 10 items (i9 never interacted with); item i0 has 4 interactions, i1 2, i2…i7 one each. */
function train(): Dataset {
  const pairs: [number, number][] = [
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 0],
    [0, 1],
    [0, 1],
    [1, 2],
    [1, 3],
    [2, 4],
    [2, 5],
    [3, 6],
    [3, 7],
    [3, 8],
  ];
  return {
    users: idIndex(['u0', 'u1', 'u2', 'u3']),
    items: idIndex(Array.from({ length: 10 }, (_, i) => `i${i}`)),
    eventTypes: [''],
    interactions: {
      length: pairs.length,
      userIndex: Int32Array.from(pairs, (p) => p[0]),
      itemIndex: Int32Array.from(pairs, (p) => p[1]),
      timestamp: Float64Array.from(pairs, (_, i) => i),
      eventType: new Uint8Array(pairs.length),
      eventValue: new Float32Array(pairs.length).fill(Number.NaN),
    },
    itemAttributes: { columns: [] },
    userAttributes: { columns: [] },
  };
}

describe('Function: summarizeDataset', () => {
  it('counts sizes, sparsity over distinct pairs and the long tail', () => {
    // Act
    const summary = summarizeDataset(train());

    // Assess
    expect(summary).toMatchObject({ users: 4, items: 10, interactions: 13, activeUsers: 4, activeItems: 9 });
    // 12 distinct (user, item) pairs (u0 saw i1 twice) out of 40.
    expect(summary.sparsity).toBeCloseTo(1 - 12 / 40);
    // Top 20 % of 9 interacted items = 2 items (i0, i1): 6 of 13 interactions.
    expect(summary.headInteractionShare).toBeCloseTo(6 / 13);
    // 80 % of 13 = 10.4 interactions need i0, i1 and five single items: 2 of 9 items are the tail.
    expect(summary.longTailItemShare).toBeCloseTo(2 / 9);
    expect(summary.popularityCurve.slice(0, 3)).toEqual([
      { rank: 1, interactions: 4 },
      { rank: 2, interactions: 2 },
      { rank: 3, interactions: 1 },
    ]);
  });
});

describe('Function: popularityDeciles', () => {
  it('cuts the candidates, most popular first, into ten equal groups with their interaction shares', () => {
    // Prepare: 20 candidates with 20, 19, … 1 users; item 20 is no candidate.
    const counts = Int32Array.from({ length: 21 }, (_, i) => (i < 20 ? 20 - i : 0));
    const byPopularity = Array.from({ length: 20 }, (_, i) => i);

    // Act
    const { decileOf, catalogueShares } = popularityDeciles(counts, byPopularity);

    // Assess
    expect(Array.from(decileOf)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, -1]);
    expect(catalogueShares[0]).toBeCloseTo(39 / 210);
    expect(catalogueShares[9]).toBeCloseTo(3 / 210);
    expect(catalogueShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it('gives the share of recommended slots per decile, ignoring non-candidates and slots past k', () => {
    // Prepare
    const decileOf = Int8Array.from([0, 0, 9, -1]);

    // Act
    const shares = recommendationShares(
      [Int32Array.from([0, 2, 3, 1]), Int32Array.from([1, 0])],
      decileOf,
      3,
    );

    // Assess: slots 0, 2 (3 is no candidate) and 1, 0.
    expect(shares[0]).toBeCloseTo(3 / 4);
    expect(shares[9]).toBeCloseTo(1 / 4);
  });
});
