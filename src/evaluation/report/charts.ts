import { reportColumns } from '../report-table.ts';
import type { ChartDefinition, ReportData } from './types.ts';

/** The popularity chart's reference series; its meaning text says it is the train interactions' share. */
const CATALOGUE = 'catalogue';
const CATALOGUE_COLOUR = '#333333';
const WIDTH = 560;
/**
 * Tableau's 10 colours, then their light partners: an evaluation reports up to a dozen algorithms, more than
 * Vega's default 10-colour scheme holds (it repeats after ten, so two series shared a colour).
 */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#a0cbe8',
  '#ffbe7d',
  '#ff9d9a',
  '#86bcb6',
  '#8cd17d',
  '#f1ce63',
  '#d4a6c8',
  '#fabfd2',
  '#d7b5a6',
  '#79706e',
];

/**
 * One colour per algorithm, the same in every chart: the domain is the evaluation's algorithm order, whatever
 * subset a chart draws. `extra` adds series of the chart's own (the catalogue) with fixed colours.
 */
function colourScale(data: ReportData, extra: readonly { name: string; colour: string }[] = []) {
  const algorithms = data.evaluation.results.map((result) => result.algo);
  return {
    domain: [...extra.map((e) => e.name), ...algorithms],
    range: [...extra.map((e) => e.colour), ...algorithms.map((_, i) => PALETTE[i % PALETTE.length]!)],
  };
}

/** Every metric of the table, one small bar chart each (scales differ: novelty is in bits, the rest in 0…1). */
function metricsChart(data: ReportData): ChartDefinition {
  const { k, results } = data.evaluation;
  const keys = reportColumns(k);
  const values = results.flatMap((result) =>
    keys.map((metric) => ({ algorithm: result.algo, metric, value: result.metrics[metric] ?? null })),
  );
  return {
    id: 'metrics',
    title: `Every metric per algorithm (k = ${k})`,
    meaning:
      'One panel per metric, one bar per algorithm, the hybrid included. Accuracy metrics (precision, recall, ' +
      'NDCG, MAP, MRR) and coverage run from 0 to 1, higher is better; novelty is the mean self-information of ' +
      'the recommended items in bits (higher means less obvious items); serendipity counts relevant items a ' +
      'popularity list would not have shown. Each panel has its own scale.',
    spec: {
      data: { values },
      facet: { field: 'metric', type: 'nominal', sort: keys, title: null },
      columns: 4,
      spec: {
        width: 150,
        height: 110,
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'algorithm', type: 'nominal', title: null, axis: { labelAngle: -40 } },
          y: { field: 'value', type: 'quantitative', title: null },
          color: { field: 'algorithm', type: 'nominal', legend: null, scale: colourScale(data) },
        },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}

/** Precision, recall and NDCG against the cut-off, when the evaluation measured curves. */
function curvesChart(data: ReportData): ChartDefinition | undefined {
  const withCurves = data.evaluation.results.filter((result) => result.curves !== undefined);
  if (withCurves.length === 0) return undefined;
  const values = withCurves.flatMap((result) =>
    (['precision', 'recall', 'ndcg'] as const).flatMap((metric) =>
      result.curves![metric].map((value, index) => ({ algorithm: result.algo, metric, k: index + 1, value })),
    ),
  );
  const depth = withCurves[0]!.curves!.precision.length;
  return {
    id: 'curves',
    title: `Precision, recall and NDCG at k = 1…${depth}`,
    meaning:
      'How each metric changes with the length of the list. Recall grows with k (a longer list finds more of ' +
      "a user's held-out items), precision usually falls (more slots, same few hits), NDCG rewards putting " +
      'hits near the top. A curve above another at every k is better at every list length.',
    spec: {
      data: { values },
      facet: { field: 'metric', type: 'nominal', title: null },
      spec: {
        width: 220,
        height: 180,
        mark: { type: 'line', tooltip: true },
        encoding: {
          x: { field: 'k', type: 'quantitative', title: 'k' },
          y: { field: 'value', type: 'quantitative', title: null },
          color: { field: 'algorithm', type: 'nominal', scale: colourScale(data) },
        },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}

/** Share of recommended slots per popularity decile, next to the catalogue's own share. */
function popularityChart(data: ReportData): ChartDefinition | undefined {
  const { results, catalogueShares } = data.evaluation;
  if (catalogueShares === undefined) return undefined;
  const series = [
    { name: CATALOGUE, shares: catalogueShares },
    ...results.flatMap((result) =>
      result.popularityShares === undefined ? [] : [{ name: result.algo, shares: result.popularityShares }],
    ),
  ];
  const values = series.flatMap(({ name, shares }) =>
    shares.map((share, decile) => ({ series: name, decile: decile + 1, share })),
  );
  return {
    id: 'popularity-bias',
    title: 'Popularity bias: share of recommendations by item-popularity decile',
    meaning:
      'Candidate items are sorted by how many train users interacted with them and cut into ten groups of ' +
      'equal size: decile 1 is the most popular tenth, decile 10 the least. Each bar is the share of the ' +
      'top-k slots an algorithm gives to that group; the catalogue bars (dark grey) show the share of train interactions ' +
      'the group holds. Bars taller than the catalogue on decile 1 mean the algorithm favours popular items ' +
      'even more than users do; a flat profile means it spreads its slots across the long tail.',
    spec: {
      data: { values },
      width: WIDTH,
      height: 240,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: {
          field: 'decile',
          type: 'ordinal',
          title: 'popularity decile (1 = most popular)',
          axis: { labelAngle: 0 },
        },
        xOffset: { field: 'series', type: 'nominal' },
        y: { field: 'share', type: 'quantitative', title: 'share', axis: { format: '%' } },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: colourScale(data, [{ name: CATALOGUE, colour: CATALOGUE_COLOUR }]),
        },
      },
    },
  };
}

/** Coverage against novelty, one labelled point per algorithm. */
function coverageNoveltyChart(data: ReportData): ChartDefinition {
  const values = data.evaluation.results.map((result) => ({
    algorithm: result.algo,
    coverage: result.metrics['coverage'] ?? null,
    novelty: result.metrics['novelty'] ?? null,
  }));
  return {
    id: 'coverage-novelty',
    title: 'Catalogue coverage and novelty',
    meaning:
      "Coverage (x) is the share of the catalogue that appears in at least one test user's top k: low " +
      'coverage means many users see the same few items. Novelty (y) is the mean self-information, in bits, ' +
      'of the recommended items: popular items carry little, rare items a lot. Up and to the right is a ' +
      'recommender that uses more of the catalogue and shows less obvious items; weigh it against accuracy.',
    spec: {
      data: { values },
      width: WIDTH,
      height: 260,
      encoding: {
        x: { field: 'coverage', type: 'quantitative', title: 'catalogue coverage', axis: { format: '%' } },
        y: { field: 'novelty', type: 'quantitative', title: 'novelty (bits)', scale: { zero: false } },
      },
      layer: [
        {
          mark: { type: 'point', filled: true, size: 90, tooltip: true },
          encoding: {
            color: { field: 'algorithm', type: 'nominal', legend: null, scale: colourScale(data) },
          },
        },
        { mark: { type: 'text', dx: 8, align: 'left' }, encoding: { text: { field: 'algorithm' } } },
      ],
    },
  };
}

/** The hybrid's tuned components: validation NDCG of each alone, labelled with its blend weight. */
function componentsChart(data: ReportData): ChartDefinition | undefined {
  const blend = data.evaluation.results.find((result) => (result.components ?? []).length > 0);
  if (blend === undefined) return undefined;
  // Sorted here rather than by an encoding sort, which layered marks would each have to repeat.
  const sorted = [...blend.components!].sort((a, b) => b.tuningNdcg - a.tuningNdcg);
  const values = sorted.map((component) => ({
    component: component.name,
    tuningNdcg: component.tuningNdcg,
    weight: component.weight,
    label: `weight ${component.weight.toFixed(2)}`,
  }));
  return {
    id: 'hybrid-components',
    title: `The ${blend.algo}'s tuned components`,
    meaning:
      'Tuning carves a validation set out of the training data (never the test set), searches each ' +
      "algorithm's hyperparameters on it, and starts the blend from the best single component. Another " +
      'component gets weight only when it lifts the validation NDCG@10 by more than the noise of a ' +
      'carve that size; weight 0 means it added nothing there. Each bar is a ' +
      "component's validation NDCG@10 on its own; the label is its weight in the blend (scores are scaled " +
      'to a maximum of 1 per query, so weights compare directly). The components table gives the reason ' +
      'for each weight.',
    spec: {
      data: { values },
      width: WIDTH,
      height: { step: 28 },
      encoding: {
        y: { field: 'component', type: 'nominal', title: null, sort: null },
        x: { field: 'tuningNdcg', type: 'quantitative', title: 'validation NDCG@10' },
      },
      layer: [
        { mark: { type: 'bar', tooltip: true }, encoding: { color: { value: '#4c78a8' } } },
        { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { text: { field: 'label' } } },
      ],
    },
  };
}

/** Interactions per item against its popularity rank: the long tail of the training data. */
function longTailChart(data: ReportData): ChartDefinition {
  const { popularityCurve, headInteractionShare } = data.dataset;
  return {
    id: 'long-tail',
    title: 'Training data: interactions per item, most popular first',
    meaning:
      'Items ranked by their number of train interactions (log scale). A steep head and a long flat tail is ' +
      `typical: here the most popular 20 % of items hold ${(headInteractionShare * 100).toFixed(1)} % of ` +
      'the interactions. The steeper the head, the easier it is for a recommender to score well by showing ' +
      'popular items, and the more the popularity-bias chart matters.',
    spec: {
      data: { values: popularityCurve },
      width: WIDTH,
      height: 220,
      mark: { type: 'area', line: true, tooltip: true, opacity: 0.6 },
      encoding: {
        x: { field: 'rank', type: 'quantitative', title: 'item popularity rank' },
        y: {
          field: 'interactions',
          type: 'quantitative',
          title: 'interactions',
          scale: { type: 'log' },
          stack: null,
        },
      },
    },
  };
}

/** The report's charts, in reading order; a chart whose data the evaluation did not measure is left out. */
export function reportCharts(data: ReportData): ChartDefinition[] {
  return [
    metricsChart(data),
    curvesChart(data),
    popularityChart(data),
    coverageNoveltyChart(data),
    componentsChart(data),
    longTailChart(data),
  ].filter((chart): chart is ChartDefinition => chart !== undefined);
}
