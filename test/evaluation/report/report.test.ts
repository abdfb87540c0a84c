import { describe, expect, it } from 'vitest';
import { reportCharts } from '../../../src/evaluation/report/charts.ts';
import { escapeHtml } from '../../../src/evaluation/report/html.ts';
import { buildReport, chartPng } from '../../../src/evaluation/report/index.ts';
import { reportFixture } from './fixture.ts';

describe('Function: reportCharts', () => {
  it('draws metrics, curves, popularity bias, coverage/novelty, hybrid components and the long tail', () => {
    // Act
    const charts = reportCharts(reportFixture());

    // Assess
    expect(charts.map((chart) => chart.id)).toEqual([
      'metrics',
      'curves',
      'popularity-bias',
      'coverage-novelty',
      'hybrid-components',
      'long-tail',
    ]);
    for (const chart of charts) expect(chart.meaning.length).toBeGreaterThan(80);
  });

  it('sets each algorithm against the catalogue on the popularity deciles', () => {
    // Act
    const chart = reportCharts(reportFixture()).find((c) => c.id === 'popularity-bias')!;

    // Assess
    const values = (chart.spec.data as { values: { series: string; decile: number; share: number }[] })
      .values;
    expect(new Set(values.map((v) => v.series))).toEqual(
      new Set(['catalogue (train interactions)', 'popularity', 'item-knn', 'hybrid']),
    );
    expect(values.find((v) => v.series === 'popularity' && v.decile === 1)?.share).toBe(1);
  });

  it('leaves out the curves and the components when the evaluation has none', () => {
    // Prepare
    const data = reportFixture();
    const plain = {
      ...data,
      evaluation: {
        ...data.evaluation,
        results: data.evaluation.results.map(({ algo, metrics, fitSeconds }) => ({
          algo,
          metrics,
          fitSeconds,
        })),
      },
    };

    // Act
    const ids = reportCharts(plain).map((chart) => chart.id);

    // Assess
    expect(ids).toEqual(['metrics', 'popularity-bias', 'coverage-novelty', 'long-tail']);
  });
});

describe('Function: buildReport', () => {
  it('writes one self-contained page: inline SVG charts and CSS, nothing fetched', async () => {
    // Act
    const { html, charts } = await buildReport(reportFixture());

    // Assess
    expect(charts).toHaveLength(6);
    expect(html.match(/<svg /g)).toHaveLength(6);
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(http/);
    expect(html).toContain('<style>');
    for (const chart of charts) expect(html).toContain(`id="${chart.id}"`);
    expect(html).toContain('What it means');
  });

  it('shows the tables: dataset summary, every metric and the hybrid components with hyperparameters', async () => {
    // Act
    const { html } = await buildReport(reportFixture());

    // Assess
    expect(html).toContain('<caption>Training data</caption>');
    expect(html).toContain('<td>96.0 %</td>');
    expect(html).toContain('<th scope="row">item-knn</th><td>0.0500</td>');
    expect(html).toContain(escapeHtml('{"neighbours":50}'));
    expect(html).toContain('why this weight (validation)');
    expect(html).toContain(escapeHtml('weight 0: adds nothing on validation (at best −0.0010 to the blend)'));
  });

  it('escapes names from the data', async () => {
    // Prepare
    const data = reportFixture({ inputs: { train: '<script>alert(1)</script>.csv' } });

    // Act
    const { html } = await buildReport(data);

    // Assess
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;.csv');
  });

  it('rasterises a chart to PNG', async () => {
    // Prepare
    const { charts } = await buildReport(reportFixture());

    // Act
    const png = chartPng(charts[0]!.svg);

    // Assess
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(1000);
  });
});
