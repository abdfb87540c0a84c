import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ModelFitError } from '../errors.ts';
import { type DatasetFiles, loadDataset } from '../local/data/load.ts';
import type { Dataset } from '../local/data/types.ts';
import { trainHybrid } from '../local/model/train.ts';
import { solutionMetrics } from './metrics.ts';
import type { RecipeType } from './recipes.ts';
import { segmentationMetrics } from './segment-metrics.ts';

/** What one solution version trains on and where its model goes. */
export interface TrainingJob {
  readonly files: DatasetFiles;
  readonly recipeType: RecipeType;
  /** Item-Attribute-Affinity: the Items dataset must have a column its queries can match. */
  readonly needsItemAttributes?: boolean;
  /** Search blend weights and hyperparameters (CreateSolution's performHPO). */
  readonly tune: boolean;
  readonly modelFile: string;
  /** Names the event type the interactions were narrowed to, for the failure text. */
  readonly eventType?: string;
}

/** Personalize's training minimums (personalize-reference.md §3.3). */
export const TRAINING_MINIMUMS = { interactions: 1000, activeUsers: 25 } as const;

/** ModelFitError with Personalize's failure text when the data is below the training minimums. */
export function checkTrainingMinimums(data: Dataset, eventType?: string): void {
  const rows = data.interactions.length;
  if (rows < TRAINING_MINIMUMS.interactions) {
    throw new ModelFitError(
      eventType === undefined
        ? `Create failed. Dataset has fewer than ${TRAINING_MINIMUMS.interactions} interactions (${rows}).`
        : `Create failed. Dataset has fewer than ${TRAINING_MINIMUMS.interactions} interactions after filtering by event type: ${eventType} (${rows}).`,
    );
  }
  const counts = new Uint32Array(data.users.ids.length);
  for (let r = 0; r < rows; r++) counts[data.interactions.userIndex[r]!]!++;
  let active = 0;
  for (const count of counts) if (count >= 2) active++;
  if (active < TRAINING_MINIMUMS.activeUsers) {
    throw new ModelFitError(
      `Create failed. Dataset has fewer than ${TRAINING_MINIMUMS.activeUsers} users with at least 2 interactions each.`,
    );
  }
}

export interface TrainingSteps {
  /** The model file is written: the version can go ACTIVE. */
  onTrained(trainingSeconds: number): void;
  onMetrics(metrics: Record<string, number>): void;
}

/**
 * Trains a solution version: loads the data, checks the minimums, fits the hybrid, writes the model file,
 * then computes GetSolutionMetrics' values on Personalize's split (a second fit, after the version is usable).
 */
export async function runTraining(job: TrainingJob, steps: TrainingSteps): Promise<void> {
  const started = performance.now();
  const data = await loadDataset(job.files);
  checkTrainingMinimums(data, job.eventType);
  if (job.needsItemAttributes && !data.itemAttributes.columns.some((c) => c.kind !== 'textual')) {
    throw new ModelFitError(
      'Create failed. Item-Attribute-Affinity needs an Items dataset with at least one non-textual metadata column.',
    );
  }
  const model = trainHybrid(data, { tune: job.tune });
  await mkdir(dirname(job.modelFile), { recursive: true });
  const temp = `${job.modelFile}.tmp`;
  await writeFile(temp, model.serialize());
  await rename(temp, job.modelFile);
  steps.onTrained((performance.now() - started) / 1000);
  const options = { tune: job.tune };
  steps.onMetrics(
    job.recipeType === 'USER_SEGMENTATION'
      ? await segmentationMetrics(data, options)
      : solutionMetrics(data, job.recipeType, options),
  );
}
