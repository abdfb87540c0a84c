import type { ProgressReporter } from '../core/progress.ts';
import {
  averagePrecisionAtK,
  catalogueCoverage,
  ndcgAtK,
  noveltyAtK,
  precisionAtK,
  recallAtK,
  reciprocalRank,
  serendipityAtK,
} from '../core/ranking-metrics.ts';
import { topK } from '../core/top-k.ts';
import { InvalidInputError } from '../errors.ts';
import type { Dataset } from '../local/data/types.ts';
import type { Scorer } from '../local/model/types.ts';
import { buildContext, type EvaluationContext, type TestInteraction } from './context.ts';
import { recommendationShares } from './popularity-deciles.ts';

export type { TestInteraction } from './context.ts';

/** Something trained that scores every item (a registry scorer after `fit`, or the hybrid model). */
export type ItemScorer = Pick<Scorer, 'scoreAll'>;

/** An algorithm under evaluation: its name in the report and how to train it. */
export interface EvaluatedAlgorithm {
  readonly name: string;
  fit(train: Dataset, progress?: ProgressReporter): ItemScorer | Promise<ItemScorer>;
  /** The parts a fitted blend is made of (the hybrid's tuned components), for the report. */
  components?(fitted: ItemScorer): readonly BlendComponent[];
}

/** One weighted algorithm of a fitted blend, with the validation score that chose it. */
export interface BlendComponent {
  readonly name: string;
  readonly weight: number;
  /** Validation NDCG@10 of the component alone (on the carve of train tuning used, never on test). */
  readonly tuningNdcg: number;
  readonly options: Readonly<Record<string, unknown>>;
  /** Why tuning gave it this weight, in validation figures (e.g. "weight 0: adds nothing on validation"). */
  readonly reason?: string;
}

/** Precision, recall and NDCG at every cut-off 1…depth: index c - 1 holds the value @c. */
export interface MetricCurves {
  readonly precision: readonly number[];
  readonly recall: readonly number[];
  readonly ndcg: readonly number[];
}

export interface EvaluateOptions {
  readonly train: Dataset;
  readonly test: readonly TestInteraction[];
  readonly algorithms: readonly EvaluatedAlgorithm[];
  /** Cut-off of the @k metrics. @default 10 */
  readonly k?: number;
  /** When set, also measure precision/recall/NDCG at every cut-off 1…curveDepth (the report's curves). */
  readonly curveDepth?: number;
  readonly progress?: ProgressReporter;
}

export interface AlgorithmResult {
  readonly algo: string;
  /** Metric name → value averaged over test users (see `metricKeys` in the README). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly fitSeconds: number;
  /** CPU seconds of the fit over every thread of the process (helper threads included). */
  readonly fitCpuSeconds?: number;
  /** Share of the top-k slots on each popularity decile of the candidates, most popular first. */
  readonly popularityShares?: readonly number[];
  /** Present when `curveDepth` was asked for. */
  readonly curves?: MetricCurves;
  /** Present for a blend (the hybrid). */
  readonly components?: readonly BlendComponent[];
}

export interface EvaluationReport {
  readonly k: number;
  readonly testUsers: number;
  readonly results: readonly AlgorithmResult[];
  /** Share of train (user, item) pairs on each popularity decile of the candidates, most popular first. */
  readonly catalogueShares?: readonly number[];
}

/** Cut-offs of Personalize's `GetSolutionMetrics` keys, reported under their names next to ours. */
const PERSONALIZE_CUTOFFS = [5, 10, 25] as const;
const MRR_CUTOFF = 25;
const MAX_K = 1000;

/**
 * Offline evaluation following the benchmark protocol: each algorithm is fitted on `train`; for each distinct
 * test user, every candidate item (one with a train interaction) the user did not interact with in train is
 * ranked, ties by smaller item id; metrics are averaged over test users. Coverage is the share of the train
 * item index (interactions plus item metadata) appearing in some user's top k.
 */
export async function evaluate(options: EvaluateOptions): Promise<EvaluationReport> {
  const k = options.k ?? 10;
  if (!Number.isInteger(k) || k < 1 || k > MAX_K)
    throw new InvalidInputError([{ field: 'k', message: `must be an integer from 1 to ${MAX_K}, got ${k}` }]);
  if (options.test.length === 0)
    throw new InvalidInputError([{ field: 'test', message: 'must hold at least 1 row' }]);
  if (options.algorithms.length === 0)
    throw new InvalidInputError([{ field: 'algorithms', message: 'must name at least 1 algorithm' }]);
  const curveDepth = options.curveDepth ?? 0;
  if (!Number.isInteger(curveDepth) || curveDepth < 0 || curveDepth > MAX_K)
    throw new InvalidInputError([
      { field: 'curveDepth', message: `must be an integer from 0 to ${MAX_K}, got ${curveDepth}` },
    ]);

  const context = buildContext(options.train, options.test, k);
  const results: AlgorithmResult[] = [];
  for (const algorithm of options.algorithms) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const scorer = await algorithm.fit(options.train, options.progress);
    const fitSeconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const scored = scoreUsers(algorithm.name, scorer, context, k, curveDepth, options.progress);
    const components = algorithm.components?.(scorer);
    results.push({
      algo: algorithm.name,
      fitSeconds: Math.round(fitSeconds * 1000) / 1000,
      fitCpuSeconds: Math.round((user + system) / 1000) / 1000,
      ...scored,
      ...(components !== undefined && { components }),
    });
  }
  return {
    k,
    testUsers: context.users.length,
    results,
    catalogueShares: context.deciles.catalogueShares,
  };
}

/** 1-based position of the best-ranked relevant candidate in the full ranking, or 0 when none is a candidate. */
function firstRelevantRank(
  scores: Float32Array,
  exclude: Uint8Array,
  tieRank: Int32Array,
  relevant: ReadonlySet<number>,
) {
  const score = (i: number) => (Number.isNaN(scores[i]!) ? Number.NEGATIVE_INFINITY : scores[i]!);
  let best = -1;
  for (const item of relevant) {
    if (item >= scores.length || exclude[item] === 1) continue;
    if (
      best < 0 ||
      score(item) > score(best) ||
      (score(item) === score(best) && tieRank[item]! < tieRank[best]!)
    )
      best = item;
  }
  if (best < 0) return 0;
  const s = score(best);
  let ahead = 0;
  for (let i = 0; i < scores.length; i++) {
    if (exclude[i] === 1) continue;
    const si = score(i);
    if (si > s || (si === s && tieRank[i]! < tieRank[best]!)) ahead++;
  }
  return ahead + 1;
}

function scoreUsers(
  name: string,
  scorer: ItemScorer,
  context: EvaluationContext,
  k: number,
  curveDepth: number,
  progress: ProgressReporter | undefined,
): Pick<AlgorithmResult, 'metrics' | 'popularityShares' | 'curves'> {
  const listLength = Math.max(k, 20, curveDepth, ...PERSONALIZE_CUTOFFS);
  const curveSums = {
    precision: new Float64Array(curveDepth),
    recall: new Float64Array(curveDepth),
    ndcg: new Float64Array(curveDepth),
  };
  const scores = new Float32Array(context.itemCount);
  const exclude = Uint8Array.from(context.nonCandidate);
  const lists: Int32Array[] = [];
  const sums = new Map<string, number>();
  const add = (key: string, value: number) => sums.set(key, (sums.get(key) ?? 0) + value);

  progress?.start(`evaluate ${name}`, context.users.length);
  context.users.forEach((user, u) => {
    for (const item of user.history.items) exclude[item] = 1;
    scorer.scoreAll(
      user.userIndex === undefined
        ? { history: user.history }
        : { userIndex: user.userIndex, history: user.history },
      scores,
    );
    const ranked = topK(scores, listLength, exclude, context.tieRank).items;
    const rank = firstRelevantRank(scores, exclude, context.tieRank, user.relevant);
    for (const item of user.history.items) exclude[item] = context.nonCandidate[item]!;

    const { relevant } = user;
    lists.push(ranked.subarray(0, k));
    add(`precision@${k}`, precisionAtK(ranked, relevant, k));
    add(`recall@${k}`, recallAtK(ranked, relevant, k));
    add(`ndcg@${k}`, ndcgAtK(ranked, relevant, k));
    add(`map@${k}`, averagePrecisionAtK(ranked, relevant, k));
    if (k !== 10) add('ndcg@10', ndcgAtK(ranked, relevant, 10));
    if (k !== 20) add('recall@20', recallAtK(ranked, relevant, 20));
    add('mrr', rank === 0 ? 0 : 1 / rank);
    add('novelty', noveltyAtK(ranked, context.information, k));
    add('serendipity', serendipityAtK(ranked, relevant, user.expected, k));
    for (const cutoff of PERSONALIZE_CUTOFFS) {
      add(`normalized_discounted_cumulative_gain_at_${cutoff}`, ndcgAtK(ranked, relevant, cutoff));
      add(`precision_at_${cutoff}`, precisionAtK(ranked, relevant, cutoff));
    }
    add(`mean_reciprocal_rank_at_${MRR_CUTOFF}`, reciprocalRank(ranked, relevant, MRR_CUTOFF));
    for (let cutoff = 1; cutoff <= curveDepth; cutoff++) {
      curveSums.precision[cutoff - 1]! += precisionAtK(ranked, relevant, cutoff);
      curveSums.recall[cutoff - 1]! += recallAtK(ranked, relevant, cutoff);
      curveSums.ndcg[cutoff - 1]! += ndcgAtK(ranked, relevant, cutoff);
    }
    if ((u + 1) % 64 === 0) progress?.update(u + 1);
  });
  progress?.stop();

  const metrics: Record<string, number> = {};
  for (const [key, sum] of sums) metrics[key] = sum / context.users.length;
  metrics['coverage'] = catalogueCoverage(lists, context.itemCount, k);
  const mean = (sums: Float64Array) => Array.from(sums, (sum) => sum / context.users.length);
  return {
    metrics,
    popularityShares: recommendationShares(lists, context.deciles.decileOf, k),
    ...(curveDepth > 0 && {
      curves: {
        precision: mean(curveSums.precision),
        recall: mean(curveSums.recall),
        ndcg: mean(curveSums.ndcg),
      },
    }),
  };
}
