import type { Worker } from 'node:worker_threads';
import { ProcessTeam, whenReady } from '../../../core/workers/process-team.ts';
import { startWorker } from '../../../core/workers/worker-url.ts';
import { UnavailableError } from '../../../errors.ts';
import type { CgScratch } from './als-cg.ts';
import { type AlsHalfTask, CONTROL, CONTROL_SLOTS, solveClaimedRows } from './als-chunks.ts';

// Starting a helper loads the module graph (and tsx under tests): seconds on a loaded machine, never minutes.
const POLL_MS = 200;

/**
 * Helper threads that solve half-iterations of implicit ALS together with the calling thread, synchronously:
 * the caller posts the task, wakes the helpers through a shared control array, solves rows itself and blocks
 * until every helper is done. Helpers are started once per process and kept (unreferenced, so they never keep
 * the process alive): a tuning run fits many models.
 */
export class AlsTeam {
  private constructor(
    private readonly workers: readonly Worker[],
    private readonly control: Int32Array,
  ) {}

  get helpers(): number {
    return this.workers.length;
  }

  /** Starts `helpers` threads and waits for them; undefined when they do not all come up in time. */
  static start(helpers: number): AlsTeam | undefined {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
    const url = new URL(`./als-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
    const workers = Array.from({ length: helpers }, () => startWorker(url, { control }));
    for (const worker of workers) worker.unref();
    const team = new AlsTeam(workers, control);
    return whenReady(team, control, CONTROL.ready);
  }

  /**
   * Solves the task's rows on the helpers and this thread. Its arrays must live in SharedArrayBuffers (the
   * helpers write `target` in place); `scratch` is this thread's scratch.
   */
  run(task: AlsHalfTask, scratch: CgScratch): void {
    if (!(task.target.buffer instanceof SharedArrayBuffer))
      throw new RangeError('AlsTeam.run: the target factors must be in a SharedArrayBuffer');
    const { control } = this;
    Atomics.store(control, CONTROL.cursor, 0);
    Atomics.store(control, CONTROL.pending, this.workers.length);
    for (const worker of this.workers) worker.postMessage(task);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
    solveClaimedRows(task, control, scratch);
    for (;;) {
      const pending = Atomics.load(control, CONTROL.pending);
      if (pending === 0) break;
      if (!this.healthy) throw new UnavailableError('an ALS helper thread exited during a fit');
      Atomics.wait(control, CONTROL.pending, pending, POLL_MS);
    }
    if (Atomics.exchange(control, CONTROL.failed, 0) !== 0)
      throw new UnavailableError('an ALS helper thread failed during a fit');
  }

  close(): void {
    for (const worker of this.workers) void worker.terminate();
  }

  /** False once a helper stopped: threadId turns -1 before the 'exit' event, which a blocked thread never sees. */
  get healthy(): boolean {
    return this.workers.every((w) => w.threadId !== -1);
  }
}

const team = new ProcessTeam((helpers) => AlsTeam.start(helpers));

/** The process's team of `helpers` threads (see `ProcessTeam`); undefined where threads cannot start. */
export const alsTeam = (helpers: number): AlsTeam | undefined => team.get(helpers);

/** Stops the team, if any (tests; a process exits with it running anyway). */
export const closeAlsTeam = (): void => team.close();
