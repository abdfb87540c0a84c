import type { ReportData } from '../../../src/evaluation/report/index.ts';

const metrics = (scale: number) => ({
  'precision@10': 0.05 * scale,
  'recall@10': 0.2 * scale,
  'ndcg@10': 0.15 * scale,
  'map@10': 0.09 * scale,
  'recall@20': 0.28 * scale,
  mrr: 0.2 * scale,
  coverage: 0.6 * scale,
  novelty: 4.5 * scale,
  serendipity: 0.03 * scale,
});

const curve = (top: number) => Array.from({ length: 50 }, (_, i) => top / Math.sqrt(i + 1));

/** A small, hand-made report: two algorithms plus a hybrid with its components. */
export function reportFixture(overrides: Partial<ReportData> = {}): ReportData {
  return {
    title: 'Recommender evaluation report',
    generatedAt: '2026-01-01T00:00:00.000Z',
    inputs: { train: 'train.csv', test: 'test.csv' },
    dataset: {
      users: 1000,
      items: 400,
      interactions: 20000,
      activeUsers: 990,
      activeItems: 380,
      sparsity: 0.96,
      headInteractionShare: 0.55,
      longTailItemShare: 0.5,
      popularityCurve: [
        { rank: 1, interactions: 600 },
        { rank: 2, interactions: 400 },
        { rank: 3, interactions: 90 },
        { rank: 4, interactions: 3 },
      ],
    },
    evaluation: {
      k: 10,
      testUsers: 900,
      catalogueShares: [0.4, 0.2, 0.1, 0.1, 0.05, 0.05, 0.04, 0.03, 0.02, 0.01],
      results: [
        {
          algo: 'popularity',
          metrics: metrics(0.5),
          fitSeconds: 0.01,
          popularityShares: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
          curves: { precision: curve(0.05), recall: curve(0.1), ndcg: curve(0.08) },
        },
        {
          algo: 'item-knn',
          metrics: metrics(1),
          fitSeconds: 0.2,
          popularityShares: [0.3, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.03, 0.02],
          curves: { precision: curve(0.1), recall: curve(0.2), ndcg: curve(0.15) },
        },
        {
          algo: 'hybrid',
          metrics: metrics(1.1),
          fitSeconds: 12,
          popularityShares: [0.35, 0.25, 0.1, 0.1, 0.05, 0.05, 0.04, 0.03, 0.02, 0.01],
          curves: { precision: curve(0.11), recall: curve(0.22), ndcg: curve(0.16) },
          components: [
            { name: 'item-knn', weight: 1, tuningNdcg: 0.14, options: { neighbours: 50 } },
            { name: 'content', weight: 0.25, tuningNdcg: 0.07, options: {} },
            {
              name: 'popularity',
              weight: 0,
              tuningNdcg: 0.05,
              options: {},
              reason: 'weight 0: adds nothing on validation (at best −0.0010 to the blend)',
            },
          ],
        },
      ],
    },
    ...overrides,
  };
}
