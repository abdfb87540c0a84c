import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import type { ProgressReporter } from '../../core/progress.ts';
import { createRng } from '../../core/random.ts';
import type { Csr } from '../sparse/csr.ts';
import { transpose } from '../sparse/transpose.ts';
import { CgScratch, solveRows } from './linalg/als-cg.ts';
import type { AlsHalfTask } from './linalg/als-chunks.ts';
import { alsTeam } from './linalg/als-team.ts';
import { gramMatrix } from './linalg/dense.ts';

export interface AlsSettings {
  readonly factors: number;
  readonly regularization: number;
  readonly alpha: number;
  readonly iterations: number;
  readonly cgSteps: number;
  readonly seed: number;
  /** Threads solving rows (the calling one included); undefined picks by the amount of work. */
  readonly threads: number | undefined;
}

export interface AlsFactors {
  /** users × factors, row-major. */
  readonly userFactors: Float32Array;
  /** items × factors, row-major. */
  readonly itemFactors: Float32Array;
}

// Starting helper threads costs about a second (more under tsx): only fits that take longer use them.
const PARALLEL_FLOPS = 2e9;
// Rows claimed at a time: small enough to balance uneven rows, large enough to keep the shared cursor cold.
const CHUNK_ROWS = 64;
const INIT_STD_DEV = 0.01;

/** Floating-point operations of a fit, roughly: per CG step a k × k product per row and 4k per nonzero. */
function fitFlops(m: Csr, s: AlsSettings): number {
  const k = s.factors;
  return 2 * s.iterations * (s.cgSteps + 1) * ((m.rows + m.cols) * k * k + 4 * k * m.indices.length);
}

function threadsFor(m: Csr, s: AlsSettings): number {
  if (s.threads !== undefined) return s.threads;
  // A helper thread is already one of a team (tuning runs grid points side by side): more threads would
  // only contend for the same cores and pay their start-up again.
  if (!isMainThread) return 1;
  return fitFlops(m, s) >= PARALLEL_FLOPS ? Math.min(availableParallelism(), 8) : 1;
}

type Allocate = <T extends Float32Array | Float64Array | Int32Array>(
  type: { new (buffer: ArrayBuffer | SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
) => T;

const plain: Allocate = (type, length) => new type(new ArrayBuffer(length * type.BYTES_PER_ELEMENT));
const shared: Allocate = (type, length) => new type(new SharedArrayBuffer(length * type.BYTES_PER_ELEMENT));

function copyInto<T extends Float32Array | Int32Array>(allocate: Allocate, from: T): T {
  const to = allocate(from.constructor as never, from.length) as T;
  to.set(from);
  return to;
}

/**
 * Implicit ALS (Hu, Koren, Volinsky 2008) on a users × items matrix of interaction strengths r: alternately
 * solves every user's factors against the items' and every item's against the users', each row by a few
 * conjugate-gradient steps warm-started from its previous factors (as `implicit`'s cg solver), with the Gram
 * matrix computed once per half-iteration. Factors start N(0, 0.01²) from `seed`; the result depends on the
 * seed only, never on the number of threads.
 */
export function fitAls(userItems: Csr, settings: AlsSettings, progress?: ProgressReporter): AlsFactors {
  const k = settings.factors;
  const threads = threadsFor(userItems, settings);
  const team = threads > 1 ? alsTeam(threads - 1) : undefined;
  const allocate = team ? shared : plain;
  const itemUsers = transpose(userItems);
  const userFactors = allocate(Float32Array, userItems.rows * k);
  const itemFactors = allocate(Float32Array, userItems.cols * k);
  const rng = createRng(settings.seed);
  for (let i = 0; i < userFactors.length; i++) userFactors[i] = rng.normal(0, INIT_STD_DEV);
  for (let i = 0; i < itemFactors.length; i++) itemFactors[i] = rng.normal(0, INIT_STD_DEV);
  const gram = allocate(Float64Array, k * k);
  const common = { gram, factors: k, alpha: settings.alpha, cgSteps: settings.cgSteps, chunk: CHUNK_ROWS };
  const half = (m: Csr, target: Float32Array, fixed: Float32Array): AlsHalfTask => ({
    ...common,
    indptr: team ? copyInto(allocate, m.indptr) : m.indptr,
    indices: team ? copyInto(allocate, m.indices) : m.indices,
    values: team ? copyInto(allocate, m.data) : m.data,
    target,
    fixed,
    rows: m.rows,
  });
  const users = half(userItems, userFactors, itemFactors);
  const items = half(itemUsers, itemFactors, userFactors);
  const scratch = new CgScratch();
  const solve = (task: AlsHalfTask, fixedRows: number) => {
    gramMatrix(task.fixed, fixedRows, k, settings.regularization, gram);
    if (team) team.run(task, scratch);
    else solveRows(task, 0, task.rows, scratch);
  };
  progress?.start('ials iterations', settings.iterations);
  for (let iteration = 0; iteration < settings.iterations; iteration++) {
    solve(users, items.rows);
    solve(items, users.rows);
    progress?.update(iteration + 1);
  }
  progress?.stop();
  return { userFactors, itemFactors };
}
