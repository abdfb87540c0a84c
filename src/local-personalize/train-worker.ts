/**
 * Worker thread of a solution version: training is CPU-bound and would stall the server's event loop. It
 * starts idle (so its start-up cost is paid before a version is created) and runs the one job it is sent.
 */
import { parentPort } from 'node:worker_threads';
import { runTraining, type TrainingJob } from './training.ts';

export type TrainingMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'trained'; readonly trainingSeconds: number }
  | { readonly type: 'metrics'; readonly metrics: Record<string, number> }
  | { readonly type: 'failed'; readonly message: string };

const post = (message: TrainingMessage) => parentPort!.postMessage(message);

parentPort!.once('message', (job: TrainingJob) => {
  runTraining(job, {
    onTrained: (trainingSeconds) => post({ type: 'trained', trainingSeconds }),
    onMetrics: (metrics) => post({ type: 'metrics', metrics }),
  }).catch((error: unknown) =>
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
});

post({ type: 'ready' });
