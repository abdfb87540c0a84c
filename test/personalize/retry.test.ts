import { describe, expect, it } from 'vitest';
import { fullJitterDelay, type RetryPolicy, withRetries } from '../../src/core/retry.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';

function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy & { slept: number[] } {
  const slept: number[] = [];
  return {
    maxAttempts: 5,
    baseDelayMs: 100,
    maxDelayMs: 300,
    deadline: Number.POSITIVE_INFINITY,
    isRetryable: () => true,
    random: seededRandom(1),
    sleep: async (ms) => {
      slept.push(ms);
    },
    slept,
    ...overrides,
  };
}

describe('Function: fullJitterDelay', () => {
  it('draws uniformly below the doubling ceiling, capped at maxDelayMs', () => {
    const p = policy();
    for (let retry = 1; retry <= 6; retry++) {
      const ceiling = Math.min(300, 100 * 2 ** (retry - 1));
      for (let i = 0; i < 50; i++) {
        const delay = fullJitterDelay(retry, p);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it('is deterministic for a seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

describe('Function: withRetries', () => {
  it('sleeps a jittered delay between attempts and returns the first success', async () => {
    const p = policy();
    let calls = 0;
    const result = await withRetries(async (n) => {
      calls = n;
      if (n < 3) throw new Error('transient');
      return 'done';
    }, p);
    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(p.slept).toHaveLength(2);
  });

  it('stops at an error that is not retryable', async () => {
    const p = policy({ isRetryable: (e) => (e as Error).message !== 'fatal' });
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw new Error(calls === 1 ? 'transient' : 'fatal');
      }, p),
    ).rejects.toThrow('fatal');
    expect(calls).toBe(2);
  });

  it('does not start a backoff that would end after the deadline', async () => {
    const p = policy({ deadline: 1000, now: () => 999, random: () => 0.5 });
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw new Error('transient');
      }, p),
    ).rejects.toThrow('transient');
    expect(calls).toBe(1);
    expect(p.slept).toEqual([]);
  });
});
