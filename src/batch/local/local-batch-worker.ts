/** Worker thread of `runLocalBatch`: loads the model artifact once and answers chunks of users. */
import { parentPort, workerData } from 'node:worker_threads';
import { type FilterDefinition, LocalRecommender } from '../../local/index.ts';
import { type LocalBatchQuery, recommendationLines } from './local-batch-lines.ts';

export interface LocalBatchTask {
  readonly userIds: readonly string[];
  readonly query: LocalBatchQuery;
}

export interface LocalBatchWorkerData {
  readonly modelPath: string;
  /** Filters the lines may name, already checked by the calling thread. */
  readonly filters: readonly FilterDefinition[];
}

const { modelPath, filters } = workerData as LocalBatchWorkerData;
const recommender = LocalRecommender.load(modelPath, { filters });

parentPort?.on('message', async ({ seq, task }: { seq: number; task: LocalBatchTask }) => {
  try {
    const text = await recommendationLines(await recommender, task.userIds, task.query);
    const bytes = new TextEncoder().encode(text);
    parentPort!.postMessage({ seq, result: bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ seq, error: error instanceof Error ? error.message : String(error) });
  }
});
