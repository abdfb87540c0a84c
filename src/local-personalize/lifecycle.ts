import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs the asynchronous part of the control plane: each status step waits `latencyMs` (0 in unit tests), and
 * `close()` cancels the waits and lets running work settle, so a stopped server leaves no timers behind.
 */
export class Lifecycle {
  private readonly abort = new AbortController();
  private readonly running = new Set<Promise<void>>();

  /** @param latencyMs duration of a status step; may change while running (tests slow it to hold jobs pending). */
  constructor(public latencyMs: number) {}

  get closed(): boolean {
    return this.abort.signal.aborted;
  }

  /** Waits one status step; rejects with an AbortError once closed. */
  step(): Promise<void> {
    if (this.abort.signal.aborted) return Promise.reject(new DOMException('closed', 'AbortError'));
    return this.latencyMs === 0
      ? Promise.resolve()
      : sleep(this.latencyMs, undefined, { signal: this.abort.signal });
  }

  /** Runs `task` in the background; its rejection is reported to `onError` unless it is the close's AbortError. */
  spawn(task: () => Promise<void>, onError: (error: unknown) => void): void {
    const run = (async () => {
      try {
        await task();
      } catch (error) {
        if (!isAbort(error)) onError(error);
      }
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.running]);
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
