import { JobFailedError } from '../errors.ts';

/** What a Describe* call says about a job. */
export interface JobStatus {
  readonly status: string;
  readonly failureReason?: string;
}

export interface PollOptions {
  /** e.g. `batch inference job arn:…`, used in messages. */
  readonly label: string;
  readonly describe: () => Promise<JobStatus>;
  /** Told every status seen and the time elapsed, for a progress display. */
  readonly onStatus?: (status: string, elapsedMs: number) => void;
  /** @default 5000 */
  readonly initialDelayMs?: number;
  /** @default 60000 */
  readonly maxDelayMs?: number;
  /** @default setTimeout-based; tests pass a fake */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/** Only these end a job (personalize-reference.md §1.6); every other status means "still working". */
const SUCCEEDED = new Set(['ACTIVE']);
const FAILED = new Set(['CREATE FAILED', 'CREATE STOPPED', 'FAILED']);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls a job until it is ACTIVE, with exponential backoff (×1.5 up to `maxDelayMs`). A failed job throws
 * JobFailedError carrying its failureReason.
 */
export async function pollJob(options: PollOptions): Promise<JobStatus> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const started = now();
  let delay = options.initialDelayMs ?? 5000;
  const maxDelay = options.maxDelayMs ?? 60_000;
  for (;;) {
    const job = await options.describe();
    options.onStatus?.(job.status, now() - started);
    if (SUCCEEDED.has(job.status)) return job;
    if (FAILED.has(job.status)) {
      throw new JobFailedError(
        `${options.label} ended ${job.status}: ${job.failureReason ?? 'no failureReason given'}`,
        job.failureReason,
      );
    }
    await sleep(delay);
    delay = Math.min(maxDelay, Math.round(delay * 1.5));
  }
}
