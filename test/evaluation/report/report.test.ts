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
      new Set(['catalogue', 'popularity', 'item-knn', 'hybrid']),
    );
    expect(values.find((v) => v.series === 'popularity' && v.decile === 1)?.share).toBe(1);
  });

  it('gives each algorithm one colour of its own, the same in every chart, and the catalogue another', () => {
    // Prepare: more algorithms than a 10-colour scheme holds.
    const data = reportFixture();
    const many = Array.from({ length: 12 }, (_, i) => ({
      ...data.evaluation.results[0]!,
      algo: `algo-${i}`,
    }));
    const charts = reportCharts({ ...data, evaluation: { ...data.evaluation, results: many } });

    // Act: every colour scale of every chart, as algorithm → colour.
    const scales: Map<string, string>[] = [];
    const visit = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      const color = (node as { color?: { scale?: { domain: string[]; range: string[] } } }).color;
      if (color?.scale)
        scales.push(new Map(color.scale.domain.map((name, i) => [name, color.scale!.range[i]!])));
      for (const child of Object.values(node)) visit(child);
    };
    for (const chart of charts) visit(chart.spec);

    // Assess
    expect(scales.length).toBeGreaterThanOrEqual(4);
    const first = scales[0]!;
    const colours = many.map((result) => first.get(result.algo));
    expect(new Set(colours).size).toBe(12);
    for (const scale of scales)
      for (const result of many) expect(scale.get(result.algo)).toBe(first.get(result.algo));
    const popularity = scales.find((scale) => scale.has('catalogue'))!;
    expect(colours).not.toContain(popularity.get('catalogue'));
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
