import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.ts';
import { type EvaluatedAlgorithm, evaluate } from '../../src/evaluation/evaluate.ts';
import type { Dataset, IdIndex } from '../../src/local/data/types.ts';
import type { ScoreQuery } from '../../src/local/model/types.ts';

function idIndex(ids: readonly string[]): IdIndex {
  return { ids, indexOf: new Map(ids.map((id, i) => [id, i])) };
}

/** A train dataset from (user, item, time) rows; items are numbered ids so ties order numerically. */
function dataset(
  users: readonly string[],
  items: readonly string[],
  rows: readonly [string, string, number][],
): Dataset {
  const u = idIndex(users);
  const i = idIndex(items);
  return {
    users: u,
    items: i,
    eventTypes: [''],
    interactions: {
      length: rows.length,
      userIndex: Int32Array.from(rows, (r) => u.indexOf.get(r[0])!),
      itemIndex: Int32Array.from(rows, (r) => i.indexOf.get(r[1])!),
      timestamp: Float64Array.from(rows, (r) => r[2]),
      eventType: new Uint8Array(rows.length),
      eventValue: new Float32Array(rows.length).fill(Number.NaN),
    },
    itemAttributes: { columns: [] },
    userAttributes: { columns: [] },
  };
}

// Items "1", "2", "10", "3": by id "1" < "2" < "3" < "10". u1 saw 2 then 1; u2 saw 1, 10, 3.
const train = dataset(
  ['u1', 'u2'],
  ['1', '2', '10', '3'],
  [
    ['u1', '2', 5],
    ['u1', '1', 1],
    ['u2', '1', 1],
    ['u2', '10', 2],
    ['u2', '3', 3],
  ],
);
// u9 is unknown to train (cold); "zz" is an item train never saw, so it stays relevant but unreachable.
const test = [
  { userId: 'u1', itemId: '3' },
  { userId: 'u9', itemId: '2' },
  { userId: 'u1', itemId: 'zz' },
];

function constant(queries: ScoreQuery[] = []): EvaluatedAlgorithm {
  return {
    name: 'constant',
    fit: () => ({
      scoreAll(query, out) {
        queries.push(query);
        out.fill(0);
      },
    }),
  };
}

describe('Function: evaluate', () => {
  it('ranks candidates outside the train history, ties by smaller id, and averages over test users', async () => {
    // Act
    const report = await evaluate({ train, test, algorithms: [constant()], k: 2 });

    // Assess: u1 gets [3, 10] for relevant {3, zz}; u9 gets [1, 2, 3, 10] for relevant {2}.
    expect(report).toMatchObject({ k: 2, testUsers: 2 });
    const { metrics, algo } = report.results[0]!;
    expect(algo).toBe('constant');
    const ndcgU1 = 1 / (1 + 1 / Math.log2(3));
    const ndcgU9 = 1 / Math.log2(3);
    expect(metrics['precision@2']).toBeCloseTo(0.5, 12);
    expect(metrics['recall@2']).toBeCloseTo((1 / 2 + 1) / 2, 12);
    expect(metrics['ndcg@2']).toBeCloseTo((ndcgU1 + ndcgU9) / 2, 12);
    expect(metrics['map@2']).toBeCloseTo((1 / 2 + 1 / 2) / 2, 12);
    expect(metrics['mrr']).toBeCloseTo((1 + 1 / 2) / 2, 12);
    expect(metrics['mean_reciprocal_rank_at_25']).toBeCloseTo(0.75, 12);
    expect(metrics['recall@20']).toBeCloseTo(0.75, 12);
    expect(metrics['coverage']).toBe(1);
    // Item "1" was seen by both train users (0 bits), the others by one of two (1 bit each).
    expect(metrics['novelty']).toBeCloseTo((1 + 0.5) / 2, 12);
    // Both lists equal the popularity baseline's, so nothing is a relevant surprise.
    expect(metrics['serendipity']).toBe(0);
  });

  it('reports the Personalize metric names and always ndcg@10 and recall@20', async () => {
    const report = await evaluate({ train, test, algorithms: [constant()] });
    const { metrics } = report.results[0]!;
    expect(metrics['ndcg@10']).toBe(metrics['normalized_discounted_cumulative_gain_at_10']);
    expect(metrics['precision@10']).toBe(metrics['precision_at_10']);
    expect(
      (await evaluate({ train, test, algorithms: [constant()], k: 20 })).results[0]!.metrics['recall@20'],
    ).toBe(metrics['recall@20']);
    expect(Object.keys(report.results[0]!.metrics).sort()).toEqual(
      [
        'coverage',
        'map@10',
        'mean_reciprocal_rank_at_25',
        'mrr',
        'ndcg@10',
        'normalized_discounted_cumulative_gain_at_10',
        'normalized_discounted_cumulative_gain_at_25',
        'normalized_discounted_cumulative_gain_at_5',
        'novelty',
        'precision@10',
        'precision_at_10',
        'precision_at_25',
        'precision_at_5',
        'recall@10',
        'recall@20',
        'serendipity',
      ].sort(),
    );
  });

  it('scores known users with their index and time-ordered history, unknown users cold', async () => {
    // Prepare
    const queries: ScoreQuery[] = [];

    // Act
    await evaluate({ train, test, algorithms: [constant(queries)], k: 2 });

    // Assess
    expect(queries[0]!.userIndex).toBe(0);
    expect(Array.from(queries[0]!.history.items)).toEqual([0, 1]);
    expect(Array.from(queries[0]!.history.timestamps)).toEqual([1, 5]);
    expect(queries[1]!.userIndex).toBeUndefined();
    expect(queries[1]!.history.items.length).toBe(0);
  });

  it('counts a relevant item ranked above the popularity baseline as serendipitous', async () => {
    // Prepare: a scorer that puts item "10" (index 2) first, where popularity would not.
    const favourTen: EvaluatedAlgorithm = {
      name: 'ten',
      fit: () => ({
        scoreAll(_query, out) {
          out.fill(0);
          out[2] = 1;
        },
      }),
    };
    const report = await evaluate({
      train,
      test: [{ userId: 'u9', itemId: '10' }],
      algorithms: [favourTen],
      k: 2,
    });

    // Assess: u9 gets [10, 1]; the baseline shows [1, 2], so "10" is relevant and unexpected.
    expect(report.results[0]!.metrics['serendipity']).toBe(1 / 2);
    expect(report.results[0]!.metrics['mrr']).toBe(1);
  });

  it('measures precision, recall and NDCG at every cut-off up to curveDepth, matching the @k metrics', async () => {
    // Act
    const report = await evaluate({ train, test, algorithms: [constant()], k: 2, curveDepth: 4 });

    // Assess
    const { curves, metrics } = report.results[0]!;
    expect(curves!.precision).toHaveLength(4);
    expect(curves!.precision[1]).toBeCloseTo(metrics['precision@2']!, 12);
    expect(curves!.recall[1]).toBeCloseTo(metrics['recall@2']!, 12);
    expect(curves!.ndcg[1]).toBeCloseTo(metrics['ndcg@2']!, 12);
    // u1 finds "3" at rank 1; u9 finds "2" at rank 2: recall@1 = (1/2 + 0) / 2, recall@4 = (1/2 + 1) / 2.
    expect(curves!.recall[0]).toBeCloseTo(0.25, 12);
    expect(curves!.recall[3]).toBeCloseTo(0.75, 12);
    expect((await evaluate({ train, test, algorithms: [constant()] })).results[0]!.curves).toBeUndefined();
  });

  it('reports the popularity-decile shares of the top k and of the catalogue, and a blend its components', async () => {
    // Prepare
    const component = { name: 'constant', weight: 1, tuningNdcg: 0.5, options: {} };
    const blend: EvaluatedAlgorithm = { ...constant(), components: () => [component] };

    // Act
    const report = await evaluate({ train, test, algorithms: [blend], k: 2 });

    // Assess
    expect(report.catalogueShares).toHaveLength(10);
    expect(report.catalogueShares!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const { popularityShares, components } = report.results[0]!;
    expect(popularityShares!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(components).toEqual([component]);
  });

  it('fails for a bad k, an empty test set or no algorithm', async () => {
    await expect(evaluate({ train, test, algorithms: [constant()], k: 0 })).rejects.toThrow(
      /k: must be an integer from 1 to 1000, got 0/,
    );
    await expect(evaluate({ train, test: [], algorithms: [constant()] })).rejects.toThrow(InvalidInputError);
    await expect(evaluate({ train, test, algorithms: [constant()], curveDepth: -1 })).rejects.toThrow(
      /curveDepth: must be an integer from 0 to 1000, got -1/,
    );
    await expect(evaluate({ train, test, algorithms: [] })).rejects.toThrow(
      /algorithms: must name at least 1/,
    );
  });
});
