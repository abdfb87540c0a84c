import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { OrderedWorkerPool } from '../../core/workers/ordered-pool.ts';
import { startWorker } from '../../core/workers/worker-url.ts';
import { LocalRecommender } from '../../local/index.ts';
import { checkLocalBatchFilter, LOCAL_BATCH_FILTER } from './local-batch-filter.ts';
import { type LocalBatchQuery, recommendationLines } from './local-batch-lines.ts';
import type { LocalBatchTask, LocalBatchWorkerData } from './local-batch-worker.ts';

export interface LocalBatchOptions {
  /** A model artifact written by `HybridModel.serialize()`; every worker loads it. */
  readonly modelPath: string;
  /** Items per user, 1..500. */
  readonly numResults: number;
  /**
   * A Personalize filter expression applied to every user, in the local engine's subset of the grammar, e.g.
   * `EXCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)`. @default - no filter
   */
  readonly filterExpression?: string;
  /** Values of the expression's placeholders, in Personalize's encoding (`{ CATEGORY: '"shoes"' }`). */
  readonly filterValues?: Readonly<Record<string, string>>;
  /** Users to answer, in output order. @default - every user the model was trained on */
  readonly userIds?: readonly string[];
  /** The JSON-lines output, in Personalize's batch output format. */
  readonly output: string;
  /** Worker threads; 0 answers on the calling thread. @default min(2, available cores) */
  readonly threads?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface LocalBatchSummary {
  readonly users: number;
  readonly bytes: number;
}

/** Users per task: large enough to amortise messaging, small enough to keep both cores busy to the end. */
const CHUNK = 500;
const MAX_IN_FLIGHT = 8;

interface Runner {
  readonly inFlight: number;
  submit(task: LocalBatchTask): void;
  next(): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
}

function inProcessRunner(recommender: LocalRecommender): Runner {
  const queue: Promise<Uint8Array>[] = [];
  const encoder = new TextEncoder();
  return {
    get inFlight() {
      return queue.length;
    },
    submit: (task) =>
      queue.push(recommendationLines(recommender, task.userIds, task.query).then((t) => encoder.encode(t))),
    next: async () => queue.shift(),
    close: async () => {},
  };
}

/**
 * Writes Personalize-format batch output for many users from the local model, offline: the same lines a
 * batch inference job would produce, so pipelines (e.g. `export`) can be built and tested without AWS.
 * Chunks of users are answered on worker threads, each with its own copy of the model, and written in order.
 * A filter expression that does not parse, names no column of the model or lacks placeholder values throws
 * InvalidInputError before any line is written.
 */
export async function runLocalBatch(options: LocalBatchOptions): Promise<LocalBatchSummary> {
  const threads = options.threads ?? Math.min(2, availableParallelism());
  const filters = checkLocalBatchFilter(options.filterExpression, options.filterValues);
  // The calling thread loads the model too: it lists the users, checks the filter against the catalogue before
  // any worker starts and, without workers, answers them.
  const recommender = await LocalRecommender.load(options.modelPath, { filters });
  const workerData: LocalBatchWorkerData = { modelPath: options.modelPath, filters };
  const userIds = options.userIds ?? recommender.hybridModel.users.ids;
  // Opened before any worker starts and written through the handle, not a stream: a folder that is missing
  // or a path that is a directory rejects here (no stream 'error' event to go unhandled), and no worker has
  // loaded the model for nothing.
  const out = await open(options.output, 'w');
  let runner: Runner | undefined;
  const query: LocalBatchQuery = {
    numResults: options.numResults,
    filter: filters.length > 0 ? LOCAL_BATCH_FILTER : undefined,
    filterValues: options.filterValues,
  };
  const sizes: number[] = [];
  let done = 0;
  let bytes = 0;
  const write = async (chunk: Uint8Array) => {
    bytes += chunk.byteLength;
    done += sizes.shift()!;
    options.onProgress?.(done, userIds.length);
    // A write may take fewer bytes than given (as write(2) may); the rest follows at the new position.
    for (let offset = 0; offset < chunk.byteLength; ) {
      offset += (await out.write(chunk, offset)).bytesWritten;
    }
  };
  try {
    runner =
      threads > 0
        ? new OrderedWorkerPool<LocalBatchTask, Uint8Array>(
            Array.from({ length: threads }, () =>
              startWorker(
                new URL(
                  `./local-batch-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
                  import.meta.url,
                ),
                workerData,
              ),
            ),
          )
        : inProcessRunner(recommender);
    for (let start = 0; start < userIds.length; start += CHUNK) {
      const chunk = userIds.slice(start, start + CHUNK);
      sizes.push(chunk.length);
      runner.submit({ userIds: chunk, query });
      while (runner.inFlight >= MAX_IN_FLIGHT) await write((await runner.next())!);
    }
    for (let chunk = await runner.next(); chunk; chunk = await runner.next()) await write(chunk);
  } finally {
    await runner?.close();
    await out.close();
  }
  return { users: userIds.length, bytes };
}
