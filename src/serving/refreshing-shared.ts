/** Where a shared value comes from: a cheap version check and an expensive load of one version. */
export interface VersionedSource<T> {
  /** A tag that changes whenever the value would (an S3 ETag, a file's mtime). */
  version(): Promise<string>;
  load(version: string): Promise<T>;
}

export interface RefreshOptions {
  /** How long a loaded value is served before its version is checked again. */
  readonly checkEveryMs: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** A failed background refresh keeps the current value; this hears about it. */
  readonly onRefreshError?: (error: unknown) => void;
}

/**
 * A value loaded on first use and shared by every caller, even those arriving while it loads, that notices a newer version:
 * once `checkEveryMs` has passed, the next call starts a background check and, when the version changed,
 * loads the new value and swaps it in. Callers never wait for a refresh; they get the current value until
 * the new one is ready, so a retrain reaches warm containers without a cold start.
 */
export function refreshingShared<T>(source: VersionedSource<T>, options: RefreshOptions): () => Promise<T> {
  const now = options.now ?? Date.now;
  let current: { value: T; version: string; checkedAt: number } | undefined;
  let first: Promise<T> | undefined;
  let refreshing = false;

  const loadFirst = async (): Promise<T> => {
    const version = await source.version();
    const value = await source.load(version);
    current = { value, version, checkedAt: now() };
    return value;
  };

  const refresh = async (held: NonNullable<typeof current>): Promise<void> => {
    refreshing = true;
    try {
      const version = await source.version();
      if (version !== held.version) {
        const value = await source.load(version);
        current = { value, version, checkedAt: now() };
      } else {
        current = { ...held, checkedAt: now() };
      }
    } catch (error) {
      // Try again after another interval rather than on every call.
      current = { ...held, checkedAt: now() };
      options.onRefreshError?.(error);
    } finally {
      refreshing = false;
    }
  };

  return () => {
    if (current === undefined) {
      first ??= loadFirst().catch((error: unknown) => {
        first = undefined;
        throw error;
      });
      return first;
    }
    if (!refreshing && now() - current.checkedAt >= options.checkEveryMs) void refresh(current);
    return Promise.resolve(current.value);
  };
}
