/**
 * The local engine's public entry: the LocalRecommender (Recommender contract over the trained hybrid), its
 * filters and no-repeat memory, and the model and dataset functions it is built from.
 */

export type { ProgressReporter } from '../core/progress.ts';
export type {
  AlgorithmPlugin,
  AlgorithmRegistry,
  AlgorithmTuning,
  ScorerOptions,
} from './algorithms/plugin.ts';
export { BUILTIN_ALGORITHMS } from './algorithms/registry.ts';
export type { ScorerState } from './algorithms/scorer-state.ts';
export type { DatasetFiles } from './data/load.ts';
export { loadDataset } from './data/load.ts';
export type { Dataset } from './data/types.ts';
export type { FilterAst } from './filters/ast.ts';
export { AttributeStore } from './filters/attribute-store.ts';
export {
  type CompiledFilter,
  compileFilter,
  type FilterCatalog,
  type FilterContext,
} from './filters/compile.ts';
export { FILTER_EXPRESSION_LENGTH, parseFilterExpression } from './filters/parse.ts';
export { loadModel } from './model/load.ts';
export { type TrainOptions, trainHybrid } from './model/train.ts';
export type { HybridModel, ScoreQuery, Scorer } from './model/types.ts';
export { UserRecentSets, type UserRecentSetsOptions } from './no-repeat/user-recent-sets.ts';
export { type FilterDefinition, FilterRegistry } from './recommender/filter-registry.ts';
export {
  blendLivePopularity,
  type LivePopularityOptions,
  type LivePopularitySource,
} from './recommender/live-popularity.ts';
export {
  type LoadLocalOptions,
  LocalRecommender,
  type LocalRecommenderOptions,
  type NoRepeatOptions,
} from './recommender/local-recommender.ts';
export { type PopularRequest, validatePopular } from './recommender/popular-request.ts';
export { type TrainLocalOptions, trainLocalRecommender } from './recommender/train-local.ts';
