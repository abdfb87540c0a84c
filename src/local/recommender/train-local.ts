import type { ProgressReporter } from '../../core/progress.ts';
import { type DatasetFiles, loadDataset } from '../data/load.ts';
import { type TrainOptions, trainHybrid } from '../model/train.ts';
import { LocalRecommender, type LocalRecommenderOptions } from './local-recommender.ts';

export interface TrainLocalOptions extends LocalRecommenderOptions {
  /** How the hybrid is trained. @default - tuned on a validation carve (see TrainOptions) */
  readonly training?: TrainOptions;
  /** Receives progress of loading and training. @default - none */
  readonly progress?: ProgressReporter;
  /** Hears what loaded but looks wrong (millisecond or far-future timestamps). @default console.warn */
  readonly onWarning?: (message: string) => void;
}

/**
 * Loads the dataset files (CSV), trains the hybrid on them and serves it; `training.algorithms` adds
 * algorithms to the built-in ones. Apart from LocalRecommender so the recommend Lambda, which only loads
 * models, does not bundle the CSV reader and the trainer.
 */
export async function trainLocalRecommender(
  files: DatasetFiles,
  options: TrainLocalOptions = {},
): Promise<LocalRecommender> {
  const dataset = await loadDataset(files, options.progress);
  for (const warning of dataset.warnings ?? []) (options.onWarning ?? console.warn)(`warning: ${warning}`);
  return LocalRecommender.fromModel(trainHybrid(dataset, options.training, options.progress), options);
}
