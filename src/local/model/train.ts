import type { ProgressReporter } from '../../core/progress.ts';
import { ModelFitError } from '../../errors.ts';
import { ContentScorer } from '../algorithms/content.ts';
import { PopularityScorer } from '../algorithms/popularity.ts';
import { createScorer } from '../algorithms/registry.ts';
import type { Dataset } from '../data/types.ts';
import { carveHoldout } from './holdout.ts';
import { type BlendPart, Hybrid } from './hybrid.ts';
import {
  type ComponentChoice,
  DEFAULT_TUNING_SPACE,
  FAST_TUNING_SPACE,
  type TuningSpace,
  tuneHybrid,
} from './tune.ts';
import { ValidationSet } from './tuning-set.ts';
import type { HybridModel } from './types.ts';
import { packHistories } from './user-histories.ts';

export interface TrainOptions {
  /** Search blend weights and hyperparameters on a validation carve; false uses `UNTUNED_BLEND`. @default true */
  readonly tune?: boolean;
  /** Most validation users sampled for tuning (bounds its cost on large data). @default - 1000, 300 above 300k interactions */
  readonly validationUsers?: number;
  /** Seed of the validation user sample. @default 42 */
  readonly seed?: number;
  /** What tuning searches. @default - DEFAULT_TUNING_SPACE, FAST_TUNING_SPACE above 300k interactions */
  readonly space?: TuningSpace;
}

/** Above this many interactions tuning searches `FAST_TUNING_SPACE` with fewer validation users. */
const LARGE_INTERACTIONS = 300_000;
/** Cap on validation users × items cells cached per component during tuning (4 bytes each). */
const MAX_VALIDATION_CELLS = 8_000_000;

/** The blend used without tuning, or when the data has no user with enough history to validate on. */
export const UNTUNED_BLEND: readonly ComponentChoice[] = [
  {
    name: 'item-knn',
    options: { neighbours: 200, shrink: 10, recencyDecay: 0.3 },
    weight: 1,
    validationNdcg: 0,
  },
  {
    name: 'user-knn',
    options: { neighbours: 50, shrink: 10, recencyDecay: 0.2 },
    weight: 0.5,
    validationNdcg: 0,
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
  // Content depends on item metadata only: one fit serves tuning and the final model.
  const content = new ContentScorer();
  content.fit(dataset, progress);
  const choices = options.tune === false ? UNTUNED_BLEND : tunedBlend(dataset, options, content, progress);

  const blend: BlendPart[] = choices.map((choice) => {
    if (choice.name === 'content') return { choice, scorer: content };
    const scorer = createScorer(choice.name, choice.options);
    scorer.fit(dataset, progress);
    return { choice, scorer };
  });
  const popularity =
    blend.find((p) => p.choice.name === 'popularity')?.scorer ?? new PopularityScorer({ mode: 'popularity' });
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
    content,
    popularity: popularity as PopularityScorer,
    trending,
  });
}

function tunedBlend(
  dataset: Dataset,
  options: TrainOptions,
  content: ContentScorer,
  progress: ProgressReporter | undefined,
): readonly ComponentChoice[] {
  const large = dataset.interactions.length > LARGE_INTERACTIONS;
  const wanted = options.validationUsers ?? (large ? 300 : 1000);
  const maxUsers = Math.max(1, Math.min(wanted, Math.floor(MAX_VALIDATION_CELLS / dataset.items.ids.length)));
  const holdout = carveHoldout(dataset, maxUsers, options.seed ?? 42);
  if (holdout.users.length === 0) return UNTUNED_BLEND;
  const space = options.space ?? (large ? FAST_TUNING_SPACE : DEFAULT_TUNING_SPACE);
  const tuned = tuneHybrid(new ValidationSet(holdout), space, progress, { content });
  return tuned.length > 0 ? tuned : UNTUNED_BLEND;
}
