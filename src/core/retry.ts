/** How to retry one call: attempts, exponential backoff with full jitter, and an absolute deadline. */
export interface RetryPolicy {
  /** Attempts in all, counting the first. */
  readonly maxAttempts: number;
  /** First backoff ceiling; it doubles per retry up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No retry starts if its backoff would end after this time (ms since the epoch, as `now` counts). */
  readonly deadline: number;
  /** Which failures deserve another attempt. */
  readonly isRetryable: (error: unknown) => boolean;
  /** Uniform [0, 1) source for the jitter (seeded, so tests are deterministic). */
  readonly random: () => number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full jitter (AWS architecture blog): a uniform delay between 0 and the exponential ceiling. */
export function fullJitterDelay(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(policy.random() * ceiling);
}

/**
 * Runs `attempt(n)` (n = 1, 2, …) until it succeeds, fails with an error not worth retrying, runs out of
 * attempts, or the next backoff would pass the deadline; then the last error is thrown.
 */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const now = policy.now ?? Date.now;
  const sleep = policy.sleep ?? realSleep;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= policy.maxAttempts || !policy.isRetryable(error)) throw error;
      const delay = fullJitterDelay(n, policy);
      if (now() + delay >= policy.deadline) throw error;
      await sleep(delay);
    }
  }
}
