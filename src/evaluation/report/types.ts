import type { DatasetSummary } from '../dataset-summary.ts';
import type { EvaluationReport } from '../evaluate.ts';

/** Everything the HTML report shows; the report code only formats it. */
export interface ReportData {
  readonly title: string;
  /** ISO time the evaluation ran. */
  readonly generatedAt: string;
  /** Where the data came from, shown as given (e.g. the --train / --test paths). */
  readonly inputs: Readonly<Record<string, string>>;
  readonly dataset: DatasetSummary;
  readonly evaluation: EvaluationReport;
}

/** One chart: a Vega-Lite spec plus the words that say how to read it. */
export interface ChartDefinition {
  /** File-name-safe id (the PNG is `<id>.png`). */
  readonly id: string;
  readonly title: string;
  /** What the chart shows and how to read it, one short paragraph. */
  readonly meaning: string;
  readonly spec: Readonly<Record<string, unknown>>;
}

export interface RenderedChart {
  readonly id: string;
  readonly title: string;
  readonly meaning: string;
  readonly svg: string;
}
