/** Worker thread of a solution version: training is CPU-bound and would stall the server's event loop. */
import { parentPort, workerData } from 'node:worker_threads';
import { runTraining, type TrainingJob } from './training.ts';

export type TrainingMessage =
  | { readonly type: 'trained'; readonly trainingSeconds: number }
  | { readonly type: 'metrics'; readonly metrics: Record<string, number> }
  | { readonly type: 'failed'; readonly message: string };

const post = (message: TrainingMessage) => parentPort!.postMessage(message);

runTraining(workerData as TrainingJob, {
  onTrained: (trainingSeconds) => post({ type: 'trained', trainingSeconds }),
  onMetrics: (metrics) => post({ type: 'metrics', metrics }),
}).catch((error: unknown) =>
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
);
