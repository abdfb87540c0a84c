import type { ProgressReporter } from '../../core/progress.ts';
import { ModelFitError } from '../../errors.ts';
import { ContentScorer } from '../algorithms/content.ts';
import type { AlgorithmRegistry } from '../algorithms/plugin.ts';
import { PopularityScorer } from '../algorithms/popularity.ts';
import { BUILTIN_ALGORITHMS, createScorer } from '../algorithms/registry.ts';
import type { Dataset } from '../data/types.ts';
import { carveHoldout } from './holdout.ts';
import { type BlendPart, Hybrid } from './hybrid.ts';
import {
  type ComponentChoice,
  type SharedScorers,
  type TuningResult,
  type TuningSpace,
  tuneHybridExplained,
  tuningSpace,
} from './tune.ts';
import { TuningSet } from './tuning-set.ts';
import type { HybridModel, Scorer } from './types.ts';
import { packHistories } from './user-histories.ts';

export interface TrainOptions {
  /** Search blend weights and hyperparameters on a tuning carve; false uses `UNTUNED_BLEND`. @default true */
  readonly tune?: boolean;
  /** Most users sampled for tuning (bounds its cost on large data). @default - 1000, 300 above 300k interactions */
  readonly tuningUsers?: number;
  /** Seed of the tuning user sample. @default 42 */
  readonly seed?: number;
  /**
   * The algorithms the hybrid may blend: `[...BUILTIN_ALGORITHMS, yours]` adds one without editing the
   * engine. Load the saved model with the same registry. @default BUILTIN_ALGORITHMS
   */
  readonly algorithms?: AlgorithmRegistry;
  /**
   * What tuning searches. @default - every tuned algorithm's `full` grid (`fast` above 300k interactions),
   * see `tuningSpace`
   */
  readonly space?: TuningSpace;
}

/** Above this many interactions tuning searches the `fast` grids with fewer tuning users. */
const LARGE_INTERACTIONS = 300_000;
/** Cap on tuning users × items cells cached per component during tuning (4 bytes each). */
const MAX_TUNING_CELLS = 8_000_000;

/** The blend used without tuning, or when the data has no user with enough history to tune on. */
export const UNTUNED_BLEND: readonly ComponentChoice[] = [
  {
    name: 'item-knn',
    options: { neighbours: 200, shrink: 10, recencyDecay: 0.3 },
    weight: 1,
    tuningNdcg: 0,
  },
  {
    name: 'user-knn',
    options: { neighbours: 50, shrink: 10, recencyDecay: 0.2 },
    weight: 0.5,
    tuningNdcg: 0,
  },
];

/**
 * Trains the hybrid: tunes blend weights and hyperparameters on a chronological per-user holdout carved from
 * `dataset` (never on anyone's test data), then refits the chosen algorithms on all of `dataset`.
 */
export function trainHybrid(
  dataset: Dataset,
  options: TrainOptions = {},
  progress?: ProgressReporter,
): HybridModel {
  if (dataset.interactions.length === 0)
    throw new ModelFitError('cannot train on an empty interactions dataset');
  const items = dataset.items.ids.length;
  const algorithms = options.algorithms ?? BUILTIN_ALGORITHMS;
  // Content depends on item metadata only: one fit serves tuning and the final model, made on first use
  // (during tuning, while the helper threads fit the other components).
  const content = new ContentScorer();
  let contentFitted = false;
  const fittedContent = (): ContentScorer => {
    if (!contentFitted) content.fit(dataset);
    contentFitted = true;
    return content;
  };
  const sharedScorers: SharedScorers = { [content.name]: fittedContent };
  const tuning =
    options.tune === false ? undefined : tunedBlend(dataset, options, algorithms, sharedScorers, progress);
  const kept = tuning?.components.filter((c) => c.weight > 0) ?? [];
  const choices: readonly ComponentChoice[] =
    kept.length > 0 ? kept.map(({ reason: _, ...choice }) => choice) : UNTUNED_BLEND;

  const blend: BlendPart[] = choices.map((choice) => {
    const shared = sharedScorers[choice.name]?.();
    if (shared) return { choice, scorer: shared };
    const scorer = createScorer(choice.name, choice.options, algorithms);
    scorer.fit(dataset, progress);
    return { choice, scorer };
  });
  // The model's own popularity (it fills short lists) is the blend's when the blend has one.
  const popularity =
    blend.map((p) => p.scorer).find(isPopularity) ?? new PopularityScorer({ mode: 'popularity' });
  if (!blend.some((p) => p.scorer === popularity)) popularity.fit(dataset, progress);
  const trending = new PopularityScorer({ mode: 'trending' });
  trending.fit(dataset, progress);

  const { start, items: historyItems, timestamps, eventTypes } = packHistories(dataset);
  return new Hybrid({
    items: dataset.items,
    users: dataset.users,
    eventTypes: dataset.eventTypes,
    itemAttributes: dataset.itemAttributes,
    userAttributes: dataset.userAttributes,
    histories: { start, items: historyItems, timestamps, eventTypes },
    trainedItems: items,
    blend,
    content: fittedContent(),
    popularity,
    trending,
    ...(tuning && kept.length > 0 && { tuning }),
  });
}

function isPopularity(scorer: Scorer): scorer is PopularityScorer {
  return scorer instanceof PopularityScorer && scorer.name === 'popularity';
}

function tunedBlend(
  dataset: Dataset,
  options: TrainOptions,
  algorithms: AlgorithmRegistry,
  sharedScorers: SharedScorers,
  progress: ProgressReporter | undefined,
): TuningResult | undefined {
  const large = dataset.interactions.length > LARGE_INTERACTIONS;
  const wanted = options.tuningUsers ?? (large ? 300 : 1000);
  const maxUsers = Math.max(1, Math.min(wanted, Math.floor(MAX_TUNING_CELLS / dataset.items.ids.length)));
  const holdout = carveHoldout(dataset, maxUsers, options.seed ?? 42);
  if (holdout.users.length === 0) return undefined;
  const space = options.space ?? tuningSpace(algorithms, large ? 'fast' : 'full');
  return tuneHybridExplained(new TuningSet(holdout), space, algorithms, progress, sharedScorers);
}
