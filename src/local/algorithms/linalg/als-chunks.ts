import { type AlsHalf, type CgScratch, solveRows } from './als-cg.ts';

/**
 * Slots of the Int32Array (over a SharedArrayBuffer) through which the fitting thread and its helpers agree on
 * work without messages: the helpers block in `Atomics.wait` and the fitting thread never yields to its event
 * loop (`Scorer.fit` is synchronous).
 */
export const CONTROL = {
  /** Bumped once per half-iteration; helpers wake on the change. */
  generation: 0,
  /** Next unclaimed row of the current half-iteration. */
  cursor: 1,
  /** Helpers still working on the current half-iteration. */
  pending: 2,
  /** Helpers that finished starting up. */
  ready: 3,
  /** Set by a helper whose solve threw. */
  failed: 4,
} as const;
export const CONTROL_SLOTS = 5;

/** A half-iteration as posted to helpers: rows are claimed `chunk` at a time. */
export interface AlsHalfTask extends AlsHalf {
  readonly chunk: number;
}

/**
 * Claims chunks of rows until none is left and solves them. Every participating thread (the fitting one
 * included) runs this, so the rows are spread by speed, and a helper that never starts leaves its share to
 * the others instead of stalling the fit.
 */
export function solveClaimedRows(task: AlsHalfTask, control: Int32Array, scratch: CgScratch): void {
  for (;;) {
    const from = Atomics.add(control, CONTROL.cursor, task.chunk);
    if (from >= task.rows) return;
    solveRows(task, from, Math.min(task.rows, from + task.chunk), scratch);
  }
}
