import type { ProgressReporter } from '../../core/progress.ts';
import { createScorer, type ScorerName, type ScorerOptions } from '../algorithms/registry.ts';
import type { Dataset } from '../data/types.ts';
import { scaleToMax } from './scale.ts';
import type { ValidationSet } from './tuning-set.ts';
import type { Scorer } from './types.ts';

/** One tuned part of the hybrid: which algorithm, its hyperparameters (recency decay included) and weight. */
export interface ComponentChoice {
  readonly name: ScorerName;
  readonly options: ScorerOptions;
  readonly weight: number;
  /** Validation NDCG@10 of the component alone. */
  readonly validationNdcg: number;
}

/** Hyperparameter grid of one component; `recencyDecay` is searched separately (it needs no refit). */
export interface ComponentGrid {
  readonly name: ScorerName;
  readonly configs: readonly ScorerOptions[];
}

export interface TuningSpace {
  readonly components: readonly ComponentGrid[];
  readonly recencyDecays: readonly number[];
  /** Candidate blend weights for coordinate ascent. */
  readonly weights: readonly number[];
  /** Coordinate-ascent passes over the components. */
  readonly rounds: number;
}

export const DEFAULT_TUNING_SPACE: TuningSpace = {
  components: [
    {
      name: 'item-knn',
      configs: [
        { neighbours: 100, shrink: 10 },
        { neighbours: 300, shrink: 10 },
        { neighbours: 500, shrink: 50 },
      ],
    },
    {
      name: 'rp3beta',
      configs: [
        { neighbours: 100, alpha: 1, beta: 0.3 },
        { neighbours: 200, alpha: 0.7, beta: 0.3 },
        { neighbours: 200, alpha: 1, beta: 0.5 },
      ],
    },
    {
      name: 'user-knn',
      configs: [
        { neighbours: 30, shrink: 10 },
        { neighbours: 80, shrink: 10 },
        { neighbours: 200, shrink: 10 },
      ],
    },
    { name: 'content', configs: [{ neighbours: 50 }] },
    { name: 'popularity', configs: [{}] },
  ],
  recencyDecays: [0, 0.05, 0.1, 0.2, 0.3, 0.5, 1],
  weights: [0, 0.1, 0.25, 0.5, 1, 2],
  rounds: 2,
};

/**
 * Scorers that depend only on item metadata (content) come out the same on the carve and on all of train;
 * passing them fitted saves fitting them twice.
 */
export type Prefitted = Partial<Record<ScorerName, Scorer>>;

/** A narrower search for large data, where each refit costs seconds. */
export const FAST_TUNING_SPACE: TuningSpace = {
  components: [
    { name: 'item-knn', configs: [{ neighbours: 200, shrink: 10 }] },
    { name: 'rp3beta', configs: [{ neighbours: 100, alpha: 1, beta: 0.3 }] },
    {
      name: 'user-knn',
      configs: [
        { neighbours: 30, shrink: 10 },
        { neighbours: 100, shrink: 10 },
      ],
    },
    { name: 'content', configs: [{ neighbours: 50 }] },
    { name: 'popularity', configs: [{}] },
  ],
  recencyDecays: [0, 0.1, 0.3, 0.6],
  weights: [0, 0.25, 0.5, 1],
  rounds: 1,
};

interface Candidate {
  readonly choice: Omit<ComponentChoice, 'weight'>;
  /** Validation users × items, each user's row scaled to max 1. */
  readonly scores: Float32Array;
}

function withDecay(scorer: Scorer, decay: number): void {
  (scorer as Scorer & { recencyDecay: number }).recencyDecay = decay;
}

/**
 * Tunes the hybrid on a validation carve: each component's grid and recency decay are searched alone
 * (keeping the best by validation NDCG@10), then blend weights by coordinate ascent over the kept
 * components' cached validation scores. Returns the components with non-zero weight.
 */
export function tuneHybrid(
  validation: ValidationSet,
  space: TuningSpace,
  progress?: ProgressReporter,
  prefitted: Prefitted = {},
): ComponentChoice[] {
  const train: Dataset = validation.holdout.train;
  const { itemCount, size } = validation;
  const steps = space.components.reduce((n, c) => n + c.configs.length, 0);
  progress?.start('tuning components', steps);
  let done = 0;
  const candidates: Candidate[] = [];
  const row = new Float32Array(itemCount);
  for (const grid of space.components) {
    let best: { options: ScorerOptions; ndcg: number; scorer: Scorer } | undefined;
    for (const config of grid.configs) {
      const scorer = prefitted[grid.name] ?? createScorer(grid.name, config);
      if (scorer !== prefitted[grid.name]) scorer.fit(train);
      // Scorers without a history (popularity) have no decay to search.
      const decays = 'recencyDecay' in scorer ? space.recencyDecays : [undefined];
      for (const decay of decays) {
        if (decay !== undefined) withDecay(scorer, decay);
        let total = 0;
        for (let p = 0; p < size; p++) {
          scorer.scoreAll(queryFor(validation, p), row);
          total += validation.ndcg(p, row);
        }
        const ndcg = total / size;
        if (!best || ndcg > best.ndcg)
          best = { options: decay === undefined ? config : { ...config, recencyDecay: decay }, ndcg, scorer };
      }
      progress?.update(++done);
    }
    if (!best) continue;
    const decay = best.options['recencyDecay'];
    if (decay !== undefined) withDecay(best.scorer, decay);
    const scores = new Float32Array(size * itemCount);
    for (let p = 0; p < size; p++) {
      const userScores = scores.subarray(p * itemCount, (p + 1) * itemCount);
      best.scorer.scoreAll(queryFor(validation, p), userScores);
      scaleToMax(userScores);
    }
    candidates.push({
      choice: { name: grid.name, options: best.options, validationNdcg: best.ndcg },
      scores,
    });
  }
  progress?.stop();
  const weights = blendWeights(validation, candidates, space);
  return candidates.map((c, i) => ({ ...c.choice, weight: weights[i]! })).filter((c) => c.weight > 0);
}

function queryFor(validation: ValidationSet, position: number) {
  return { userIndex: validation.holdout.users[position]!, history: validation.histories[position]! };
}

function blendWeights(
  validation: ValidationSet,
  candidates: readonly Candidate[],
  space: TuningSpace,
): number[] {
  const { itemCount, size } = validation;
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
      total += validation.ndcg(p, blended);
    }
    return total / size;
  };

  const weights = candidates.map(() => 0);
  let bestIndex = 0;
  candidates.forEach((c, i) => {
    if (c.choice.validationNdcg > candidates[bestIndex]!.choice.validationNdcg) bestIndex = i;
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
