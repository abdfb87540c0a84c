import type { Scorer } from '../model/types.ts';
import { contentAlgorithm } from './content.ts';
import { easeAlgorithm } from './ease.ts';
import { ialsAlgorithm } from './ials.ts';
import { itemKnnAlgorithm } from './item-knn.ts';
import { itemTransitionsAlgorithm } from './item-transitions.ts';
import { type AlgorithmRegistry, algorithmNamed, type ScorerOptions } from './plugin.ts';
import { popularityAlgorithm, trendingAlgorithm } from './popularity.ts';
import { rp3betaAlgorithm } from './rp3beta.ts';
import { userKnnAlgorithm } from './user-knn.ts';

export type { AlgorithmPlugin, AlgorithmRegistry, ScorerOptions } from './plugin.ts';

/**
 * The built-in algorithms, one line each. A caller adds its own without editing this file by passing
 * `[...BUILTIN_ALGORITHMS, itsPlugin]` to training and loading.
 */
export const BUILTIN_ALGORITHMS: AlgorithmRegistry = [
  itemKnnAlgorithm,
  rp3betaAlgorithm,
  userKnnAlgorithm,
  contentAlgorithm,
  popularityAlgorithm,
  trendingAlgorithm,
  ialsAlgorithm,
  easeAlgorithm,
  itemTransitionsAlgorithm,
];

/** Every built-in algorithm the evaluator can run alone, by name. */
export const SCORER_NAMES: readonly string[] = BUILTIN_ALGORITHMS.map((plugin) => plugin.name);

/** A fresh, unfitted scorer of the named algorithm; InvalidInputError on `algorithm` for an unknown name. */
export function createScorer(
  name: string,
  options: ScorerOptions = {},
  algorithms: AlgorithmRegistry = BUILTIN_ALGORITHMS,
): Scorer {
  return algorithmNamed(algorithms, name, 'algorithm').create(options);
}
