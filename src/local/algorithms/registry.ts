import { InvalidInputError } from '../../errors.ts';
import type { Scorer } from '../model/types.ts';
import { ContentScorer } from './content.ts';
import { ItemKnnScorer } from './item-knn.ts';
import { PopularityScorer } from './popularity.ts';
import { Rp3betaScorer } from './rp3beta.ts';
import { UserKnnScorer } from './user-knn.ts';

/** Numeric hyperparameters by name (e.g. `{ neighbours: 100, shrink: 10, recencyDecay: 0.1 }`). */
export type ScorerOptions = Readonly<Record<string, number>>;

/** Every algorithm the evaluator can run alone, by name. */
const FACTORIES = {
  'item-knn': (options: ScorerOptions) => new ItemKnnScorer(options),
  rp3beta: (options: ScorerOptions) => new Rp3betaScorer(options),
  'user-knn': (options: ScorerOptions) => new UserKnnScorer(options),
  content: (options: ScorerOptions) => new ContentScorer(options),
  popularity: (options: ScorerOptions) => new PopularityScorer({ ...options, mode: 'popularity' }),
  trending: (options: ScorerOptions) => new PopularityScorer({ ...options, mode: 'trending' }),
} satisfies Record<string, (options: ScorerOptions) => Scorer>;

export type ScorerName = keyof typeof FACTORIES;
export const SCORER_NAMES = Object.keys(FACTORIES) as readonly ScorerName[];

export function isScorerName(name: string): name is ScorerName {
  return Object.hasOwn(FACTORIES, name);
}

/** A fresh, unfitted scorer of the named algorithm. */
export function createScorer(name: string, options: ScorerOptions = {}): Scorer {
  if (!isScorerName(name))
    throw new InvalidInputError([
      { field: 'algorithm', message: `must be one of ${SCORER_NAMES.join(', ')}, got '${name}'` },
    ]);
  return FACTORIES[name](options);
}
