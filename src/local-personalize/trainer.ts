import type { Worker } from 'node:worker_threads';
import { startWorker } from '../core/workers/worker-url.ts';
import type { TrainingMessage } from './train-worker.ts';
import { runTraining, type TrainingJob, type TrainingSteps } from './training.ts';

/** A running training: `stopped` resolves true when `stop()` ended it before the model was written. */
export interface TrainingRun {
  /** Resolves once the model is written and metrics are computed; rejects with the training error. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/** Trains on a worker thread (or, for tests that count coverage in-process, on this one). */
export function startTraining(job: TrainingJob, steps: TrainingSteps, inWorker: boolean): TrainingRun {
  if (!inWorker) return { done: runTraining(job, steps), stop: async () => {} };
  const worker: Worker = startWorker(
    new URL(`./train-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
    job,
  );
  const done = new Promise<void>((resolve, reject) => {
    let finished = false;
    worker.on('message', (message: TrainingMessage) => {
      if (message.type === 'trained') steps.onTrained(message.trainingSeconds);
      else if (message.type === 'metrics') {
        finished = true;
        steps.onMetrics(message.metrics);
        resolve();
      } else {
        finished = true;
        reject(new Error(message.message));
      }
    });
    worker.on('error', (error) => {
      finished = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!finished) reject(new Error(`training stopped (worker exit code ${code})`));
    });
  });
  done.then(() => worker.terminate()).catch(() => {});
  return {
    done,
    stop: async () => {
      await worker.terminate();
    },
  };
}
