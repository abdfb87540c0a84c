import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryFeatureStore } from '../../src/features/memory-feature-store.ts';
import { clock, event, T0 } from './fixtures.ts';

/** Bucket width and span of each window, and the buckets its ring keeps. */
const WINDOW = {
  '1h': { width: 60, span: 60, kept: 60 },
  '24h': { width: 3600, span: 24, kept: 168 },
  '7d': { width: 3600, span: 168, kept: 168 },
} as const;
type Window = keyof typeof WINDOW;

/**
 * The documented semantics, by brute force: an event counts by its time clamped to when it was applied,
 * is dropped if it was already older than the kept buckets then, and counts at `readAt` while its bucket is
 * among the window's newest `span` buckets.
 */
function expected(arrivals: readonly (readonly [number, number])[], readAt: number, window: Window): number {
  const { width, span, kept } = WINDOW[window];
  const bucket = (t: number) => Math.floor(t / width);
  let now = T0;
  let count = 0;
  for (const [offset, advance] of arrivals) {
    now += advance;
    const t = Math.min(T0 + offset, now);
    if (bucket(t) <= bucket(now) - kept) continue;
    if (bucket(t) > bucket(readAt) - span && bucket(t) <= bucket(readAt)) count++;
  }
  return count;
}

describe('Property: window counts', () => {
  it('match a brute-force count for any arrival order, clock advances and read time', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Each event: its time (offset from T0, up to 9 days) and how far the clock moves before it arrives.
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 * 86_400 }), fc.integer({ min: 0, max: 20_000 })), {
          maxLength: 120,
        }),
        fc.integer({ min: 0, max: 10 * 86_400 }),
        async (arrivals, readAfter) => {
          const time = clock(T0);
          const store = new MemoryFeatureStore({ now: time.now, ttlSeconds: 365 * 86_400 });
          let now = T0;
          for (const [offset, advance] of arrivals) {
            now += advance;
            time.set(now);
            await store.apply([event({ timestamp: T0 + offset })]);
          }
          const readAt = now + readAfter;
          time.set(readAt);
          const row = await store.readUser('u1', ['event_counts_1h', 'event_counts_24h', 'event_counts_7d']);
          const features = row.status === 'FOUND' ? row.features : {};
          for (const window of Object.keys(WINDOW) as Window[]) {
            const counts = features[`event_counts_${window}`] as Record<string, number> | undefined;
            expect(counts?.click ?? 0).toBe(expected(arrivals, readAt, window));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
