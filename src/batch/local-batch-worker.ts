/** Worker thread of `runLocalBatch`: loads the model artifact once and answers chunks of users. */
import { parentPort, workerData } from 'node:worker_threads';
import { LocalRecommender } from '../local/index.ts';
import { type LocalBatchQuery, recommendationLines } from './local-batch-lines.ts';

export interface LocalBatchTask {
  readonly userIds: readonly string[];
  readonly query: LocalBatchQuery;
}

const recommender = LocalRecommender.load((workerData as { modelPath: string }).modelPath);

parentPort?.on('message', async ({ seq, task }: { seq: number; task: LocalBatchTask }) => {
  try {
    const text = await recommendationLines(await recommender, task.userIds, task.query);
    const bytes = new TextEncoder().encode(text);
    parentPort!.postMessage({ seq, result: bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ seq, error: error instanceof Error ? error.message : String(error) });
  }
});
