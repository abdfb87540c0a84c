import { reportColumns } from '../report-table.ts';
import type { RenderedChart, ReportData } from './types.ts';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
const integer = (value: number) => value.toLocaleString('en-US');
const metric = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(4));

function table(caption: string, header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = header.map((cell) => `<th scope="col">${escapeHtml(cell)}</th>`).join('');
  const body = rows
    .map(
      ([first, ...rest]) =>
        `<tr><th scope="row">${escapeHtml(first ?? '')}</th>${rest.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function datasetTable(data: ReportData): string {
  const d = data.dataset;
  return table(
    'Training data',
    ['measure', 'value'],
    [
      ['users', `${integer(d.users)} (${integer(d.activeUsers)} with interactions)`],
      ['items', `${integer(d.items)} (${integer(d.activeItems)} with interactions)`],
      ['interactions', integer(d.interactions)],
      ['sparsity', percent(d.sparsity)],
      ['interactions on the top 20 % of items', percent(d.headInteractionShare)],
      ['items in the long tail (outside the 80 % head)', percent(d.longTailItemShare)],
      ['test users', integer(data.evaluation.testUsers)],
    ],
  );
}

function metricsTable(data: ReportData): string {
  const keys = reportColumns(data.evaluation.k);
  return table(
    'Metrics on the test set',
    ['algorithm', ...keys, 'fit s'],
    data.evaluation.results.map((result) => [
      result.algo,
      ...keys.map((key) => metric(result.metrics[key])),
      result.fitSeconds.toFixed(2),
    ]),
  );
}

function componentsTable(data: ReportData): string {
  const blend = data.evaluation.results.find((result) => (result.components ?? []).length > 0);
  if (blend === undefined) return '';
  return table(
    `The ${blend.algo}'s components`,
    ['component', 'weight', 'validation NDCG@10', 'hyperparameters', 'why this weight (validation)'],
    blend.components!.map((component) => [
      component.name,
      component.weight.toFixed(3),
      component.tuningNdcg.toFixed(4),
      JSON.stringify(component.options),
      component.reason ?? '',
    ]),
  );
}

function figure(chart: RenderedChart): string {
  return `<section class="chart" id="${escapeHtml(chart.id)}">
<h2>${escapeHtml(chart.title)}</h2>
<figure role="img" aria-label="${escapeHtml(chart.title)}">${chart.svg}</figure>
<p class="meaning"><strong>What it means:</strong> ${escapeHtml(chart.meaning)}</p>
</section>`;
}

const STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color: #1a1a1a;
  background: #fff; margin: 0 auto; max-width: 1100px; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.sub { color: #444; margin-top: 0; }
table { border-collapse: collapse; margin: 1rem 0; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: right; }
th[scope=row], thead th:first-child { text-align: left; }
thead th { background: #f0f0f0; }
.scroll { overflow-x: auto; }
figure { margin: 0; overflow-x: auto; } figure svg { max-width: 100%; height: auto; }
.meaning { max-width: 70ch; color: #333; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 1rem; } dt { font-weight: 600; }
`;

/** The whole report as one self-contained HTML page: inline CSS and SVG, nothing fetched when it opens. */
export function reportHtml(data: ReportData, charts: readonly RenderedChart[]): string {
  const inputs = Object.entries(data.inputs)
    .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(data.title)}</h1>
<p class="sub">Generated ${escapeHtml(data.generatedAt)}; metrics at k = ${data.evaluation.k} over ${integer(data.evaluation.testUsers)} test users.</p>
<dl>${inputs}</dl>
<p class="meaning">Each algorithm is trained on the training interactions and ranks, for every test user, the items
that user has not interacted with in training; the metrics compare that ranking with the items the user
actually interacted with in the held-out test set. The hybrid tunes itself on a slice of the training data only.</p>
<div class="scroll">${datasetTable(data)}</div>
<div class="scroll">${metricsTable(data)}</div>
<div class="scroll">${componentsTable(data)}</div>
${charts.map(figure).join('\n')}
</main>
</body>
</html>
`;
}
