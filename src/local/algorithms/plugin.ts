import { InvalidInputError } from '../../errors.ts';
import type { Scorer } from '../model/types.ts';
import type { ScorerState } from './scorer-state.ts';

/** Numeric hyperparameters by name (e.g. `{ neighbours: 100, shrink: 10, recencyDecay: 0.1 }`). */
export type ScorerOptions = Readonly<Record<string, number>>;

/** What the hybrid's tuner searches for one algorithm. */
export interface AlgorithmTuning {
  /** Configurations tried by the default search (each one a fit). */
  readonly full: readonly ScorerOptions[];
  /** Configurations tried on large data, where each fit costs seconds. */
  readonly fast: readonly ScorerOptions[];
  /**
   * Whether each fitted configuration is also tried at every recency decay of the search (no refit: the
   * scorer's `recencyDecay` is set between scorings, so it must have one).
   */
  readonly recencyDecay: boolean;
  /**
   * Options merged into every configuration for tuning's fits only, never into the chosen options the model
   * is fitted with: what makes a fit cheaper without changing how configurations rank (iALS's iterations).
   */
  readonly tuningFit?: ScorerOptions;
}

/**
 * Everything the engine needs to know about one algorithm, so adding one is a new file plus one registry
 * line: training creates and tunes it by name, a model file records the name with the scorer's `export()`
 * and loading hands that back to `restore`, the evaluator runs it alone.
 *
 * @example
 * export const myAlgorithm: AlgorithmPlugin = {
 *   name: 'my-algo',
 *   create: (options) => new MyScorer(options),
 *   restore: MyScorer.restore,
 *   tuning: { full: [{ factors: 64 }, { factors: 128 }], fast: [{ factors: 64 }], recencyDecay: false },
 * };
 */
export interface AlgorithmPlugin {
  /** The registry key, recorded in model files; the `name` of the scorers it creates. */
  readonly name: string;
  /** A fresh, unfitted scorer; options left out take the scorer's own defaults (`create({})` is the default). */
  create(options: ScorerOptions): Scorer;
  /**
   * Rebuilds a fitted scorer from the state its `export()` wrote (arrays may be views into the model file).
   * Method syntax on purpose: a plugin passes its scorer's `restore(state: ScorerState<ItsHeader>)`, and the
   * header it receives is the one that scorer exported under this name.
   */
  restore(state: ScorerState<unknown>): Scorer;
  /** What the hybrid tunes; absent: the hybrid leaves the algorithm out (it still runs alone). */
  readonly tuning?: AlgorithmTuning;
}

/** The algorithms training and loading know, in the tuner's order (blend weights are searched in it). */
export type AlgorithmRegistry = readonly AlgorithmPlugin[];

/** The plugin registered under `name`; InvalidInputError on `field` listing the known names otherwise. */
export function algorithmNamed(registry: AlgorithmRegistry, name: string, field: string): AlgorithmPlugin {
  const plugin = registry.find((p) => p.name === name);
  if (!plugin)
    throw new InvalidInputError([
      {
        field,
        message: `names algorithm '${name}', which is not in the algorithm registry (${registry.map((p) => p.name).join(', ')}); pass a registry that includes its plugin`,
      },
    ]);
  return plugin;
}
