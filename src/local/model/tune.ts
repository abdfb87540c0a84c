import type { ProgressReporter } from '../../core/progress.ts';
import type { AlgorithmRegistry, ScorerOptions } from '../algorithms/plugin.ts';
import { BUILTIN_ALGORITHMS } from '../algorithms/registry.ts';
import { BlendEvaluator, type Candidate } from './blend-evaluator.ts';
import { searchComponents } from './component-search.ts';
import { explainWeights } from './explain-weights.ts';
import { average, beatsNoise, type NoiseGate } from './paired-gain.ts';
import type { TuningSet } from './tuning-set.ts';
import type { Scorer } from './types.ts';

/** One tuned part of the hybrid: which algorithm, its hyperparameters (recency decay included) and weight. */
export interface ComponentChoice {
  readonly name: string;
  readonly options: ScorerOptions;
  readonly weight: number;
  /** Tuning-set NDCG@10 of the component alone. */
  readonly tuningNdcg: number;
}

/** A tuned component, weight 0 included, with why tuning gave it that weight (for the evaluation report). */
export interface TunedComponent extends ComponentChoice {
  readonly reason: string;
}

/** Everything tuning decided, on the validation carve. */
export interface TuningResult {
  /** Every tuned component in search order, those given weight 0 included. */
  readonly components: readonly TunedComponent[];
  /** Validation NDCG@10 of the chosen blend. */
  readonly blendNdcg: number;
  /** Validation users the figures average over. */
  readonly users: number;
}

/** Hyperparameter grid of one component; `recencyDecay` is searched separately (it needs no refit). */
export interface ComponentGrid {
  readonly name: string;
  readonly configs: readonly ScorerOptions[];
  /** Whether each config is tried at every `TuningSpace.recencyDecays` value. */
  readonly searchRecencyDecay: boolean;
  /** Merged into each config for tuning's fits only (see `AlgorithmTuning.tuningFit`). */
  readonly tuningFit?: ScorerOptions;
}

export interface TuningSpace {
  readonly components: readonly ComponentGrid[];
  /** Tried in this order; a later decay replaces an earlier one only when it beats it beyond noise. */
  readonly recencyDecays: readonly number[];
  /** Candidate blend weights for coordinate ascent. */
  readonly weights: readonly number[];
  /** Coordinate-ascent passes over the components. */
  readonly rounds: number;
  /**
   * What a change (a recency decay, a component added, a weight moved) must gain on validation NDCG@10 to
   * be taken (see `beatsNoise`). @default DEFAULT_NOISE_GATE
   */
  readonly noiseGate?: NoiseGate;
  /** What a recency decay must gain over the one before it in `recencyDecays`. @default DEFAULT_DECAY_GATE */
  readonly decayGate?: NoiseGate;
}

/** `full`: the default search; `fast`: a narrower one for large data, where each refit costs seconds. */
export type TuningDepth = 'full' | 'fast';

/**
 * One standard error. Measured on the MovieLens validation carves (about 600 to 950 users) against test:
 * without a gate, components that won by luck on validation joined and cost on test (ml-100k without time:
 * RP3beta beside EASE, +0.003 on validation, −0.006 on test); half a standard error still let popularity
 * join on ml-latest-small without time and took the blend below EASE alone there; one kept every blend at or
 * above its best component while the time-aware splits kept their gains (ml-100k 0.263 against 0.265).
 * The gains taken there were all above 0.35% of the blend's NDCG@10; a quarter percent floor only stops
 * changes too small to matter.
 */
export const DEFAULT_NOISE_GATE: NoiseGate = { standardErrors: 1, relativeGain: 0.0025 };

/**
 * Two and a half standard errors: the decay judged is the peak of a scan over several (see
 * `evaluateGridPoint`), and the best of several noisy comparisons clears a low bar by luck far more often
 * than one does. On a generated dataset with shuffled timestamps two standard errors kept a decay for one
 * shuffle seed in six (EASE at 0.05); two and a half kept none in fifteen. Where the order of events matters
 * the peak wins by ten standard errors and more on the chronological MovieLens carves, but against no decay
 * at all, not the step before it: three standard errors there turned down EASE's 0.2 on ml-latest-small
 * (+0.0195 NDCG@10 on validation, 3 standard errors being ~0.02).
 */
export const DEFAULT_DECAY_GATE: NoiseGate = { standardErrors: 2.5, relativeGain: 0.005 };

const SEARCH: Readonly<Record<TuningDepth, Omit<TuningSpace, 'components'>>> = {
  full: {
    recencyDecays: [0, 0.05, 0.1, 0.2, 0.3, 0.5, 1],
    weights: [0, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2],
    // Passes stop once one changes nothing; each costs a second or two of blending cached scores.
    rounds: 4,
  },
  fast: { recencyDecays: [0, 0.1, 0.3, 0.6], weights: [0, 0.25, 0.5, 1], rounds: 2 },
};

/** The search over every tuned algorithm of the registry, in registry order, at the given depth. */
export function tuningSpace(algorithms: AlgorithmRegistry, depth: TuningDepth): TuningSpace {
  const components: ComponentGrid[] = [];
  for (const { name, tuning } of algorithms)
    if (tuning && tuning[depth].length > 0)
      components.push({
        name,
        configs: tuning[depth],
        searchRecencyDecay: tuning.recencyDecay,
        ...(tuning.tuningFit && { tuningFit: tuning.tuningFit }),
      });
  return { components, ...SEARCH[depth] };
}

export const DEFAULT_TUNING_SPACE: TuningSpace = tuningSpace(BUILTIN_ALGORITHMS, 'full');

export const FAST_TUNING_SPACE: TuningSpace = tuningSpace(BUILTIN_ALGORITHMS, 'fast');

/**
 * Scorers by algorithm name that come out the same on the carve and on all of train (content depends only
 * on item metadata), shared by tuning and the final model so they are fitted once: each entry returns its
 * scorer fitted, fitting it on first call, which tuning makes from this thread while helper threads work.
 */
export type SharedScorers = Readonly<Partial<Record<string, () => Scorer>>>;

/**
 * Tunes the hybrid on a tuning set carved from train: each component's grid and recency decay are searched
 * alone (a configuration or a recency decay replaces the one before only when it beats it beyond noise), then
 * blend weights by coordinate ascent from the best single component over the components' cached scores,
 * taking a weight only when it lifts validation NDCG@10 beyond noise. So the blend never does worse than its
 * best component on validation, and a component that adds nothing there gets weight 0. Components are
 * created from `algorithms`; returns every tuned component with its weight and the reason for it.
 */
export function tuneHybridExplained(
  tuning: TuningSet,
  space: TuningSpace,
  algorithms: AlgorithmRegistry,
  progress?: ProgressReporter,
  sharedScorers: SharedScorers = {},
): TuningResult {
  const gate = space.noiseGate ?? DEFAULT_NOISE_GATE;
  const decayGate = space.decayGate ?? DEFAULT_DECAY_GATE;
  // Each component's kept grid point, searched on both cores (see `searchComponents`).
  const candidates: Candidate[] = searchComponents(
    tuning,
    space,
    algorithms,
    sharedScorers,
    { config: gate, decay: decayGate },
    progress,
  ).map(({ name, options, ndcg, scores }) => ({ choice: { name, options, tuningNdcg: ndcg }, scores }));
  progress?.start('blend search', 1);
  const blend = new BlendEvaluator(tuning, candidates);
  const weights = blendWeights(blend, candidates, space, gate);
  const reasons = explainWeights(blend, candidates, weights, space.weights, gate);
  progress?.update(1);
  progress?.stop();
  return {
    components: candidates.map((c, i) => ({ ...c.choice, weight: weights[i]!, reason: reasons[i]! })),
    blendNdcg: candidates.length === 0 ? 0 : average(blend.perUser(weights)),
    users: tuning.size,
  };
}

/**
 * Coordinate ascent from the best single component (weight 1): each pass tries every weight of every
 * component and takes a change only when it beats the current blend beyond noise; then prunes.
 */
function blendWeights(
  blend: BlendEvaluator,
  candidates: readonly Candidate[],
  space: TuningSpace,
  gate: NoiseGate,
): number[] {
  const weights = candidates.map(() => 0);
  if (candidates.length === 0) return weights;
  let bestIndex = 0;
  candidates.forEach((c, i) => {
    if (c.choice.tuningNdcg > candidates[bestIndex]!.choice.tuningNdcg) bestIndex = i;
  });
  weights[bestIndex] = 1;
  let current = blend.perUser(weights);
  for (let round = 0; round < space.rounds; round++) {
    let improved = false;
    for (let c = 0; c < candidates.length; c++) {
      let kept = weights[c]!;
      // Trying one coordinate leaves the others as they are, so its trials are scored in one sweep and then
      // judged in order (a later weight must beat the one taken before it).
      const othersWeigh = weights.some((x, i) => i !== c && x > 0);
      const trials = space.weights.filter((w) => w !== kept && (w > 0 || othersWeigh));
      const scored = blend.sweep(weights, c, trials);
      trials.forEach((w, t) => {
        if (beatsNoise(scored[t]!, current, gate)) {
          current = scored[t]!;
          kept = w;
          improved = true;
        }
      });
      weights[c] = kept;
    }
    if (!improved) break;
  }
  return pruned(blend, weights, current);
}

/**
 * Drops, one at a time, a kept component whose removal costs nothing on validation: one taken early in the
 * ascent can be made redundant by those taken after it, and a part that adds nothing only costs serving time.
 */
function pruned(blend: BlendEvaluator, weights: number[], current: Float64Array): number[] {
  let ndcg = average(current);
  for (let dropped = true; dropped; ) {
    dropped = false;
    for (let c = 0; c < weights.length && weights.filter((w) => w > 0).length > 1; c++) {
      if (weights[c] === 0) continue;
      const without = weights.map((w, i) => (i === c ? 0 : w));
      const score = average(blend.perUser(without));
      if (score >= ndcg) {
        weights[c] = 0;
        ndcg = score;
        dropped = true;
      }
    }
  }
  return weights;
}
