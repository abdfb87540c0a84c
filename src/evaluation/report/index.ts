import { reportCharts } from './charts.ts';
import { reportHtml } from './html.ts';
import { renderSvg } from './svg.ts';
import type { RenderedChart, ReportData } from './types.ts';

export { chartPng } from './png.ts';
export type { ChartDefinition, RenderedChart, ReportData } from './types.ts';

export interface BuiltReport {
  readonly html: string;
  readonly charts: readonly RenderedChart[];
}

/** The evaluation report: every chart rendered to SVG, and the self-contained page holding them. */
export async function buildReport(data: ReportData): Promise<BuiltReport> {
  const charts: RenderedChart[] = [];
  for (const chart of reportCharts(data)) {
    charts.push({
      id: chart.id,
      title: chart.title,
      meaning: chart.meaning,
      svg: await renderSvg(chart.spec),
    });
  }
  return { html: reportHtml(data, charts), charts };
}
