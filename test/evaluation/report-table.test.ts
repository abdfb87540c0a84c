import { describe, expect, it } from 'vitest';
import { formatBlendComponents, formatReportTable } from '../../src/evaluation/report-table.ts';

describe('Function: formatReportTable', () => {
  it('prints one aligned row per algorithm with the @k metrics, ndcg@10, recall@20 and fit seconds', () => {
    // Prepare
    const metrics = {
      'precision@5': 0.1,
      'recall@5': 0.2,
      'ndcg@5': 0.3,
      'map@5': 0.04,
      'ndcg@10': 0.25,
      'recall@20': 0.5,
      mrr: 0.333333,
      coverage: 0.9,
      novelty: 7.5,
      serendipity: 0.01,
    };

    // Act
    const table = formatReportTable({
      k: 5,
      testUsers: 3,
      results: [
        { algo: 'popularity', metrics, fitSeconds: 0.012 },
        { algo: 'hybrid', metrics, fitSeconds: 12.5 },
      ],
    });

    // Assess
    const [header, first, second] = table.split('\n');
    expect(header!.split(/\s+/)).toEqual([
      'algo',
      'precision@5',
      'recall@5',
      'ndcg@5',
      'map@5',
      'ndcg@10',
      'recall@20',
      'mrr',
      'coverage',
      'novelty',
      'serendipity',
      'fit',
      's',
    ]);
    expect(first!.split(/\s+/)).toEqual([
      'popularity',
      '0.1000',
      '0.2000',
      '0.3000',
      '0.0400',
      '0.2500',
      '0.5000',
      '0.3333',
      '0.9000',
      '7.5000',
      '0.0100',
      '0.01',
    ]);
    expect(second!.startsWith('hybrid    ')).toBe(true);
    expect(first!.length).toBe(header!.length);
  });

  it('does not repeat ndcg@10 when k is 10', () => {
    const table = formatReportTable({ k: 10, testUsers: 1, results: [] });
    expect(table.match(/ndcg@10/g)).toHaveLength(1);
  });
});

describe('Function: formatBlendComponents', () => {
  it("lists the blend's components with weight, hyperparameters and the validation reason", () => {
    // Act
    const text = formatBlendComponents({
      k: 10,
      testUsers: 1,
      results: [
        { algo: 'ease', metrics: {}, fitSeconds: 1 },
        {
          algo: 'hybrid',
          metrics: {},
          fitSeconds: 2,
          components: [
            { name: 'ials', weight: 1, tuningNdcg: 0.28, options: { alpha: 3 }, reason: 'kept alone' },
            {
              name: 'ease',
              weight: 0,
              tuningNdcg: 0.27,
              options: { lambda: 500 },
              reason: 'weight 0: adds nothing',
            },
          ],
        },
      ],
    });

    // Assess
    expect(text.split('\n')).toEqual([
      'hybrid components (tuned on a validation carve of train):',
      '  ials  weight 1.00  {"alpha":3}',
      '        kept alone',
      '  ease  weight 0.00  {"lambda":500}',
      '        weight 0: adds nothing',
    ]);
  });

  it('is empty without a blend', () => {
    expect(formatBlendComponents({ k: 10, testUsers: 1, results: [] })).toBe('');
  });
});
