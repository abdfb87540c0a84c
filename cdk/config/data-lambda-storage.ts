/**
 * The data Lambdas (validate-data, train-local-model) copy a run's CSV files to /tmp before reading them,
 * so /tmp must hold the largest dataset of a run (all its files) plus room for the work files.
 */
const HEADROOM_MIB = 512;
/** Lambda's /tmp ranges 512..10240 MiB. */
const MIN_MIB = 512;
const MAX_MIB = 10240;

/** The largest `training.maxDatasetGiB` that fits Lambda's /tmp with the headroom. */
export const MAX_DATASET_GIB = (MAX_MIB - HEADROOM_MIB) / 1024;

/** /tmp size (MiB) of the data Lambdas for datasets up to `maxDatasetGiB` (sum of a run's CSV files). */
export function dataLambdaTmpMiB(maxDatasetGiB: number): number {
  return Math.min(MAX_MIB, Math.max(MIN_MIB, Math.ceil(maxDatasetGiB * 1024) + HEADROOM_MIB));
}
