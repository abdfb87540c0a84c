import type { EvaluationReport } from './evaluate.ts';

/** The metric columns of the printed table, in order; ndcg@10 and recall@20 join when k is not 10 / 20. */
export function reportColumns(k: number): string[] {
  const keys = [`precision@${k}`, `recall@${k}`, `ndcg@${k}`, `map@${k}`];
  if (k !== 10) keys.push('ndcg@10');
  if (k !== 20) keys.push('recall@20');
  return [...keys, 'mrr', 'coverage', 'novelty', 'serendipity'];
}

/** A fixed-width text table of the report: one row per algorithm, metrics to 4 decimals, fit time in seconds. */
export function formatReportTable(report: EvaluationReport): string {
  const keys = reportColumns(report.k);
  const header = ['algo', ...keys, 'fit s'];
  const rows = report.results.map((result) => [
    result.algo,
    ...keys.map((key) => (result.metrics[key] ?? Number.NaN).toFixed(4)),
    result.fitSeconds.toFixed(2),
  ]);
  const widths = header.map((title, c) => Math.max(title.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/**
 * The blend's tuned components, one line each: weight, validation NDCG@10 alone, hyperparameters and why
 * tuning gave that weight. Empty when no result is a blend.
 */
export function formatBlendComponents(report: EvaluationReport): string {
  const lines: string[] = [];
  for (const { algo, components } of report.results) {
    if (!components || components.length === 0) continue;
    lines.push(`${algo} components (tuned on a validation carve of train):`);
    const width = Math.max(...components.map((c) => c.name.length));
    for (const c of components)
      lines.push(
        `  ${c.name.padEnd(width)}  weight ${c.weight.toFixed(2).padStart(4)}  ${JSON.stringify(c.options)}${c.reason ? `\n  ${''.padEnd(width)}  ${c.reason}` : ''}`,
      );
  }
  return lines.join('\n');
}
