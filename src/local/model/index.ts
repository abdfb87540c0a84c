export { Hybrid, type HybridParts } from './hybrid.ts';
export { loadModel } from './load.ts';
export { type TrainOptions, trainHybrid, UNTUNED_BLEND } from './train.ts';
export {
  type ComponentChoice,
  DEFAULT_TUNING_SPACE,
  type TunedComponent,
  type TuningDepth,
  type TuningResult,
  type TuningSpace,
  tuningSpace,
} from './tune.ts';
export * from './types.ts';
