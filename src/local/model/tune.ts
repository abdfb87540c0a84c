import type { ProgressReporter } from '../../core/progress.ts';
import type { AlgorithmRegistry, ScorerOptions } from '../algorithms/plugin.ts';
import { BUILTIN_ALGORITHMS } from '../algorithms/registry.ts';
import { searchComponents } from './component-search.ts';
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

/** Hyperparameter grid of one component; `recencyDecay` is searched separately (it needs no refit). */
export interface ComponentGrid {
  readonly name: string;
  readonly configs: readonly ScorerOptions[];
  /** Whether each config is tried at every `TuningSpace.recencyDecays` value. */
  readonly searchRecencyDecay: boolean;
}

export interface TuningSpace {
  readonly components: readonly ComponentGrid[];
  readonly recencyDecays: readonly number[];
  /** Candidate blend weights for coordinate ascent. */
  readonly weights: readonly number[];
  /** Coordinate-ascent passes over the components. */
  readonly rounds: number;
}

/** `full`: the default search; `fast`: a narrower one for large data, where each refit costs seconds. */
export type TuningDepth = 'full' | 'fast';

const SEARCH: Readonly<Record<TuningDepth, Omit<TuningSpace, 'components'>>> = {
  full: { recencyDecays: [0, 0.05, 0.1, 0.2, 0.3, 0.5, 1], weights: [0, 0.1, 0.25, 0.5, 1, 2], rounds: 2 },
  fast: { recencyDecays: [0, 0.1, 0.3, 0.6], weights: [0, 0.25, 0.5, 1], rounds: 1 },
};

/** The search over every tuned algorithm of the registry, in registry order, at the given depth. */
export function tuningSpace(algorithms: AlgorithmRegistry, depth: TuningDepth): TuningSpace {
  const components: ComponentGrid[] = [];
  for (const { name, tuning } of algorithms)
    if (tuning) components.push({ name, configs: tuning[depth], searchRecencyDecay: tuning.recencyDecay });
  return { components, ...SEARCH[depth] };
}

export const DEFAULT_TUNING_SPACE: TuningSpace = tuningSpace(BUILTIN_ALGORITHMS, 'full');

export const FAST_TUNING_SPACE: TuningSpace = tuningSpace(BUILTIN_ALGORITHMS, 'fast');

/**
 * Scorers by algorithm name that come out the same on the carve and on all of train (content depends only
 * on item metadata); passing them fitted saves fitting them twice.
 */
export type Prefitted = Readonly<Partial<Record<string, Scorer>>>;

interface Candidate {
  readonly choice: Omit<ComponentChoice, 'weight'>;
  /** Tuning users × items, each user's row scaled to max 1. */
  readonly scores: Float32Array;
}

/**
 * Tunes the hybrid on a tuning set carved from train: each component's grid and recency decay are searched
 * alone (keeping the best by NDCG@10), then blend weights by coordinate ascent over the kept components'
 * cached scores. Components are created from `algorithms`; returns those with non-zero weight.
 */
export function tuneHybrid(
  tuning: TuningSet,
  space: TuningSpace,
  algorithms: AlgorithmRegistry,
  progress?: ProgressReporter,
  prefitted: Prefitted = {},
): ComponentChoice[] {
  // Each component's best grid point, searched on both cores (see `searchComponents`).
  const candidates: Candidate[] = searchComponents(tuning, space, algorithms, prefitted, progress).map(
    ({ name, options, ndcg, scores }) => ({ choice: { name, options, tuningNdcg: ndcg }, scores }),
  );
  const weights = blendWeights(tuning, candidates, space);
  return candidates.map((c, i) => ({ ...c.choice, weight: weights[i]! })).filter((c) => c.weight > 0);
}

function blendWeights(tuning: TuningSet, candidates: readonly Candidate[], space: TuningSpace): number[] {
  const { itemCount, size } = tuning;
  const blended = new Float32Array(itemCount);
  const evaluateWeights = (weights: readonly number[]): number => {
    let total = 0;
    for (let p = 0; p < size; p++) {
      blended.fill(0);
      const offset = p * itemCount;
      for (let c = 0; c < candidates.length; c++) {
        const w = weights[c]!;
        if (w === 0) continue;
        const scores = candidates[c]!.scores;
        for (let i = 0; i < itemCount; i++) blended[i]! += w * scores[offset + i]!;
      }
      total += tuning.ndcg(p, blended);
    }
    return total / size;
  };

  const weights = candidates.map(() => 0);
  let bestIndex = 0;
  candidates.forEach((c, i) => {
    if (c.choice.tuningNdcg > candidates[bestIndex]!.choice.tuningNdcg) bestIndex = i;
  });
  if (candidates.length === 0) return weights;
  weights[bestIndex] = 1;
  let bestNdcg = evaluateWeights(weights);
  for (let round = 0; round < space.rounds; round++) {
    let improved = false;
    for (let c = 0; c < candidates.length; c++) {
      let kept = weights[c]!;
      for (const w of space.weights) {
        if (w === kept) continue;
        weights[c] = w;
        const ndcg = weights.some((x) => x > 0) ? evaluateWeights(weights) : 0;
        if (ndcg > bestNdcg + 1e-9) {
          bestNdcg = ndcg;
          kept = w;
          improved = true;
        }
      }
      weights[c] = kept;
    }
    if (!improved) break;
  }
  return weights;
}
