/**
 * A value built once on first use and shared by every caller, also by calls that arrive while it is being
 * built. A failed build is forgotten so the next call tries again (a cold S3 read may fail once).
 */
export function lazyShared<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= build().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
