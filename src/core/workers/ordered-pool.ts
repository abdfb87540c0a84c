import type { Worker } from 'node:worker_threads';
import { UnavailableError } from '../../errors.ts';

interface Pending<R> {
  resolve(result: R): void;
  reject(error: Error): void;
}

/**
 * Runs tasks on a fixed set of workers, round-robin, and hands results back in submission order. Callers bound
 * memory by awaiting `next()` once `inFlight` reaches their limit.
 */
export class OrderedWorkerPool<T, R> {
  private readonly queue: Promise<R>[] = [];
  private readonly pending = new Map<number, Pending<R>>();
  private seq = 0;
  /** Set once a worker dies: later tasks fail at once instead of waiting forever. */
  private failure: Error | undefined;

  constructor(private readonly workers: readonly Worker[]) {
    for (const worker of workers) {
      worker.on('message', (message: { seq: number; result?: R; error?: string }) => {
        const task = this.pending.get(message.seq);
        this.pending.delete(message.seq);
        if (message.error !== undefined)
          task?.reject(new UnavailableError(`worker failed: ${message.error}`));
        else task?.resolve(message.result as R);
      });
      worker.on('error', (error) => this.failAll(error));
      worker.on('exit', (code) => this.failAll(new Error(`worker exited with code ${code}`)));
    }
  }

  get inFlight(): number {
    return this.queue.length;
  }

  /** `transfer` lists buffers the task owns and gives up (moved, not copied, to the worker). */
  submit(task: T, transfer: readonly ArrayBuffer[] = []): void {
    const seq = this.seq++;
    const worker = this.workers[seq % this.workers.length]!;
    this.queue.push(
      new Promise<R>((resolve, reject) => {
        if (this.failure) return reject(this.failure);
        this.pending.set(seq, { resolve, reject });
        worker.postMessage({ seq, task }, [...transfer]);
      }),
    );
  }

  /** The oldest submitted task's result; undefined when nothing is in flight. */
  async next(): Promise<R | undefined> {
    return this.queue.shift();
  }

  async close(): Promise<void> {
    this.failure ??= new UnavailableError('the worker pool is closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private failAll(error: Error): void {
    this.failure ??= new UnavailableError(`worker failed: ${error.message}`, { cause: error });
    for (const task of this.pending.values()) task.reject(this.failure);
    this.pending.clear();
  }
}
