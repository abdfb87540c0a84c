import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { ProcessTeam, whenReady } from '../../core/workers/process-team.ts';
import { startWorker } from '../../core/workers/worker-url.ts';
import type { ScorerOptions } from '../algorithms/plugin.ts';
import type { Dataset, InteractionTable } from '../data/types.ts';
import type { GridPointResult } from './grid-point.ts';
import type { Holdout } from './holdout.ts';
import type { NoiseGate } from './paired-gain.ts';
import type { TuningSet } from './tuning-set.ts';
import type { History } from './types.ts';

/** One grid point: a built-in algorithm's config, fitted on the carve and scored at each decay. */
export interface GridPointTask {
  readonly name: string;
  /** The configuration judged and reported. */
  readonly config: ScorerOptions;
  /** What the scorer is created with: the configuration plus the grid's `tuningFit`. */
  readonly fitOptions: ScorerOptions;
  readonly decays: readonly (number | undefined)[];
  /** What a later decay must gain over the kept one (see `evaluateGridPoint`). */
  readonly decayGate: NoiseGate;
}

/** Messages to a tuning helper, in the order it must handle them (a port keeps order). */
export type HelperMessage =
  | { readonly kind: 'port'; readonly port: MessagePort }
  | { readonly kind: 'holdout'; readonly holdout: Holdout; readonly histories: readonly History[] }
  | { readonly kind: 'task'; readonly id: number; readonly task: GridPointTask }
  | { readonly kind: 'release' };

/** A helper's answer to one task, on its reply port. */
export type HelperReply =
  | { readonly id: number; readonly result: GridPointResult }
  | { readonly id: number; readonly error: string };

/** Slots of the shared control array: helpers that are up, replies posted so far. */
export const CONTROL = { ready: 0, replies: 1 } as const;

// Starting a helper loads the module graph (and tsx under tests): seconds on a loaded machine, never minutes.
const POLL_MS = 200;
/** Tasks queued per helper: a second one keeps it busy while this thread runs a task of its own. */
const DEPTH = 2;

export interface TeamCallbacks {
  /** A task's result, as it arrives (any order). */
  onResult(task: number, result: GridPointResult): void;
  /** Called while helpers work; runs one piece of this thread's own work and returns false when it has none. */
  onIdle(): boolean;
}

/**
 * Worker threads that evaluate tuning grid points while the calling thread blocks (training is synchronous):
 * tasks go out by `postMessage`, answers come back on per-helper ports read with `receiveMessageOnPort`, and
 * a shared counter wakes the caller. Started once per process and unreferenced (they never keep it alive).
 */
export class TuningTeam {
  private constructor(
    private readonly workers: readonly Worker[],
    private readonly ports: readonly MessagePort[],
    private readonly control: Int32Array,
  ) {}

  get helpers(): number {
    return this.workers.length;
  }

  /** False once a helper stopped: threadId turns -1 before the 'exit' event, which a blocked thread never sees. */
  get healthy(): boolean {
    return this.workers.every((w) => w.threadId !== -1);
  }

  /** Starts `helpers` threads and waits for them; undefined when they do not all come up in time. */
  static start(helpers: number): TuningTeam | undefined {
    const control = new Int32Array(new SharedArrayBuffer(8));
    const url = new URL(`./tuning-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
    const workers: Worker[] = [];
    const ports: MessagePort[] = [];
    for (let h = 0; h < helpers; h++) {
      const worker = startWorker(url, { control });
      worker.unref();
      const { port1, port2 } = new MessageChannel();
      worker.postMessage({ kind: 'port', port: port2 } satisfies HelperMessage, [port2]);
      workers.push(worker);
      ports.push(port1);
    }
    const team = new TuningTeam(workers, ports, control);
    return whenReady(team, control, CONTROL.ready);
  }

  /**
   * Evaluates `tasks[t]` for each t of `which` on the helpers, calling `onIdle` whenever this thread would
   * otherwise wait. Returns once every task answered or can no longer: a task whose helper failed or died is
   * simply not reported, for the caller to run itself.
   */
  run(
    tuning: TuningSet,
    which: readonly number[],
    tasks: readonly GridPointTask[],
    callbacks: TeamCallbacks,
  ): void {
    const message: HelperMessage = {
      kind: 'holdout',
      holdout: sharedHoldout(tuning.holdout),
      // Copies: each history is a view into every user's packed events, which a message would copy whole.
      histories: tuning.histories.map((h) => ({
        items: h.items.slice(),
        timestamps: h.timestamps.slice(),
        ...(h.eventTypes && { eventTypes: h.eventTypes.slice() }),
      })),
    };
    for (const worker of this.workers) worker.postMessage(message);
    const queue = [...which];
    const inFlight = this.workers.map(() => new Set<number>());
    const alive = this.workers.map(() => true);
    let outstanding = 0;
    const topUp = (): void => {
      this.workers.forEach((worker, h) => {
        while (alive[h] && inFlight[h]!.size < DEPTH && queue.length > 0) {
          const id = queue.shift()!;
          inFlight[h]!.add(id);
          outstanding++;
          worker.postMessage({ kind: 'task', id, task: tasks[id]! } satisfies HelperMessage);
        }
      });
    };
    topUp();
    while (outstanding > 0) {
      const seen = Atomics.load(this.control, CONTROL.replies);
      let received = false;
      this.ports.forEach((port, h) => {
        for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
          const reply = m.message as HelperReply;
          // A reply from a helper already given up for dead is ignored: its task was handed back.
          if (!inFlight[h]!.delete(reply.id)) continue;
          outstanding--;
          received = true;
          if ('result' in reply) callbacks.onResult(reply.id, reply.result);
        }
      });
      this.workers.forEach((worker, h) => {
        if (!alive[h] || worker.threadId !== -1) return;
        // A dead helper's tasks are left for the caller; the rest of the queue goes to the others.
        alive[h] = false;
        outstanding -= inFlight[h]!.size;
        inFlight[h]!.clear();
      });
      if (!alive.some(Boolean)) break;
      topUp();
      if (received || outstanding === 0) continue;
      if (!callbacks.onIdle()) Atomics.wait(this.control, CONTROL.replies, seen, POLL_MS);
    }
    for (const worker of this.workers) worker.postMessage({ kind: 'release' } satisfies HelperMessage);
  }

  close(): void {
    for (const worker of this.workers) void worker.terminate();
    for (const port of this.ports) port.close();
  }
}

/**
 * The holdout with its interaction columns moved into SharedArrayBuffers, so every helper reads one copy
 * instead of receiving its own (on 10M interactions a copy is ~200 MB).
 */
function sharedHoldout(holdout: Holdout): Holdout {
  const table = holdout.train.interactions;
  const interactions: InteractionTable = {
    ...table,
    userIndex: shared(table.userIndex),
    itemIndex: shared(table.itemIndex),
    timestamp: shared(table.timestamp),
    eventType: shared(table.eventType),
    eventValue: shared(table.eventValue),
    ...(table.context && { context: table.context.map((c) => ({ ...c, codes: shared(c.codes) })) }),
  };
  const train: Dataset = { ...holdout.train, interactions };
  return { train, users: holdout.users, relevant: holdout.relevant };
}

type Typed = Int32Array | Float64Array | Float32Array | Uint8Array | Uint16Array;

function shared<T extends Typed>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(
    new SharedArrayBuffer(array.byteLength),
  );
  copy.set(array as never);
  return copy;
}

const team = new ProcessTeam((helpers) => TuningTeam.start(helpers));

/** The process's team of `helpers` threads (see `ProcessTeam`); undefined where threads cannot start. */
export const tuningTeam = (helpers: number): TuningTeam | undefined => team.get(helpers);

/** Stops the team, if any (tests; a process exits with it running anyway). */
export const closeTuningTeam = (): void => team.close();
