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

const spawnWorker = (): Worker =>
  startWorker(
    new URL(`./train-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
    {},
  );

/**
 * Keeps one idle training worker ready, so a solution version does not wait for a thread (and its TypeScript
 * loader) to start: taken by the next training, started again with `warm()`.
 */
export class WarmWorker {
  private idle: Worker | undefined;
  private started: Promise<void> = Promise.resolve();

  /** Starts the idle worker if there is none; resolves once it has loaded (or failed to). */
  warm(): Promise<void> {
    if (this.idle !== undefined) return this.started;
    const worker = spawnWorker();
    worker.unref();
    this.started = new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
      worker.once('error', () => resolve());
      worker.once('exit', () => {
        if (this.idle === worker) this.idle = undefined;
        resolve();
      });
    });
    this.idle = worker;
    return this.started;
  }

  take(): Worker {
    const worker = this.idle ?? spawnWorker();
    this.idle = undefined;
    worker.ref();
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.idle;
    this.idle = undefined;
    await worker?.terminate();
  }
}

/** Trains on a worker thread from `workers` (or, without one, on this thread). */
export function startTraining(job: TrainingJob, steps: TrainingSteps, workers?: WarmWorker): TrainingRun {
  if (workers === undefined) return { done: runTraining(job, steps), stop: async () => {} };
  const worker = workers.take();
  worker.postMessage(job);
  const done = new Promise<void>((resolve, reject) => {
    let finished = false;
    worker.on('message', (message: TrainingMessage) => {
      if (message.type === 'ready') return;
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
