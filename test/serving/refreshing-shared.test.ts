import { describe, expect, it } from 'vitest';
import { refreshingShared, type VersionedSource } from '../../src/serving/refreshing-shared.ts';

/** A source whose version the test moves, counting calls; loads resolve when the test says. */
function fakeSource(initial: string) {
  const state = { version: initial, versionCalls: 0, loads: [] as string[], failVersion: false };
  const source: VersionedSource<string> = {
    version: async () => {
      state.versionCalls++;
      if (state.failVersion) throw new Error('HeadObject throttled');
      return state.version;
    },
    load: async (version) => {
      state.loads.push(version);
      return `model@${version}`;
    },
  };
  return { source, state };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Function: refreshingShared', () => {
  it('loads once for concurrent first callers', async () => {
    const { source, state } = fakeSource('e1');
    const get = refreshingShared(source, { checkEveryMs: 60_000, now: () => 0 });
    const values = await Promise.all([get(), get(), get()]);
    expect(values).toEqual(['model@e1', 'model@e1', 'model@e1']);
    expect(state.loads).toEqual(['e1']);
  });

  it('checks the version only after the interval, and swaps in a newer model without making callers wait', async () => {
    const { source, state } = fakeSource('e1');
    let clock = 0;
    const get = refreshingShared(source, { checkEveryMs: 300_000, now: () => clock });
    await get();
    state.version = 'e2';
    clock = 299_999;
    expect(await get()).toBe('model@e1');
    expect(state.versionCalls).toBe(1);

    clock = 300_000;
    // This call starts the refresh and is answered from the current model at once.
    expect(await get()).toBe('model@e1');
    await settle();
    expect(await get()).toBe('model@e2');
    expect(state.loads).toEqual(['e1', 'e2']);
  });

  it('does not reload when the version is unchanged', async () => {
    const { source, state } = fakeSource('e1');
    let clock = 0;
    const get = refreshingShared(source, { checkEveryMs: 10, now: () => clock });
    await get();
    clock = 10;
    await get();
    await settle();
    clock = 20;
    await get();
    await settle();
    expect(state.versionCalls).toBe(3);
    expect(state.loads).toEqual(['e1']);
  });

  it('keeps serving the current model when a refresh fails, and reports it', async () => {
    const { source, state } = fakeSource('e1');
    let clock = 0;
    const errors: unknown[] = [];
    const get = refreshingShared(source, {
      checkEveryMs: 10,
      now: () => clock,
      onRefreshError: (e) => errors.push(e),
    });
    await get();
    state.failVersion = true;
    clock = 10;
    await get();
    await settle();
    expect(await get()).toBe('model@e1');
    expect(errors).toHaveLength(1);
    // The next check waits for another interval instead of retrying on every call.
    await get();
    await settle();
    expect(state.versionCalls).toBe(2);
  });

  it('forgets a failed first load so the next call tries again', async () => {
    const { source, state } = fakeSource('e1');
    state.failVersion = true;
    const get = refreshingShared(source, { checkEveryMs: 10, now: () => 0 });
    await expect(get()).rejects.toThrow('throttled');
    state.failVersion = false;
    expect(await get()).toBe('model@e1');
  });
});
