import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random.ts';
import { generateDataset } from '../../../src/datagen/index.ts';
import { BUILTIN_ALGORITHMS } from '../../../src/local/algorithms/registry.ts';
import { datasetFromRows, type InteractionRow } from '../../../src/local/data/index.ts';
import { loadDataset } from '../../../src/local/data/load.ts';
import type { Dataset } from '../../../src/local/data/types.ts';
import { carveHoldout } from '../../../src/local/model/holdout.ts';
import {
  DEFAULT_TUNING_SPACE,
  type TuningResult,
  tuneHybridExplained,
} from '../../../src/local/model/tune.ts';
import { TuningSet } from '../../../src/local/model/tuning-set.ts';
import { packHistories } from '../../../src/local/model/user-histories.ts';

function tune(data: Dataset): TuningResult {
  return tuneHybridExplained(
    new TuningSet(carveHoldout(data, 1000, 42)),
    DEFAULT_TUNING_SPACE,
    BUILTIN_ALGORITHMS,
  );
}

/** Each user's timestamps dealt back to their events in a seeded random order: the order carries nothing. */
function shuffleTimestampsPerUser(data: Dataset, seed: number): Dataset {
  const rng = createRng(seed);
  const { start, rows } = packHistories(data);
  const timestamp = data.interactions.timestamp.slice();
  for (let u = 0; u + 1 < start.length; u++) {
    const own = Array.from(rows.subarray(start[u]!, start[u + 1]!));
    const stamps = own.map((r) => data.interactions.timestamp[r]!);
    for (let i = stamps.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [stamps[i], stamps[j]] = [stamps[j]!, stamps[i]!];
    }
    own.forEach((r, i) => {
      timestamp[r] = stamps[i]!;
    });
  }
  return { ...data, interactions: { ...data.interactions, timestamp } };
}

function expectNeverBelowBestAlone(result: TuningResult): void {
  const bestAlone = Math.max(...result.components.map((c) => c.tuningNdcg));
  expect(result.blendNdcg).toBeGreaterThanOrEqual(bestAlone);
}

describe('tuning on a generated dataset whose timestamps are shuffled', () => {
  let dir: string;
  let result: TuningResult;
  let inOrder: TuningResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tune-'));
    const { files } = await generateDataset({
      outDir: dir,
      interactions: 12_000,
      users: 400,
      items: 150,
      seed: 7,
    });
    const data = await loadDataset(files);
    result = tune(shuffleTimestampsPerUser(data, 3));
    inOrder = tune(data);
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives trending weight 0 and keeps no component with a recency decay', () => {
    const trending = result.components.find((c) => c.name === 'trending')!;
    expect(trending.weight).toBe(0);
    const kept = result.components.filter((c) => c.weight > 0);
    expect(kept.length).toBeGreaterThan(0);
    for (const component of kept) expect(component.options['recencyDecay'] ?? 0).toBe(0);
  });

  it('gives trending and item transitions weight on the same data in its real order', () => {
    for (const name of ['trending', 'item-transitions'])
      expect(inOrder.components.find((c) => c.name === name)!.weight).toBeGreaterThan(0);
  });

  it('never blends below its best single component on validation, and says why each weight is 0', () => {
    expectNeverBelowBestAlone(result);
    for (const component of result.components.filter((c) => c.weight === 0))
      expect(component.reason).toMatch(/^weight 0: adds nothing/);
  });
});

/**
 * Sessions that walk a ring of items: each next item is the one after the current one 90% of the time, a
 * random one otherwise. Items near each other on the ring co-occur in both directions; only the order says
 * which one comes next.
 */
function ringSessions(users: number, items: number, seed: number): Dataset {
  const rng = createRng(seed);
  const interactions: InteractionRow[] = [];
  for (let u = 0; u < users; u++) {
    let item = rng.int(items);
    const length = 10 + rng.int(10);
    const seen = new Set<number>();
    for (let step = 0, t = 1_000_000; step < length; step++, t += 60) {
      while (seen.has(item)) item = (item + 1) % items;
      seen.add(item);
      interactions.push({ userId: `u${u}`, itemId: `i${item}`, timestamp: t });
      item = rng.chance(0.9) ? (item + 1) % items : rng.int(items);
    }
  }
  return datasetFromRows({ interactions });
}

describe('tuning on sessions with strong next-item patterns', () => {
  const result = tune(ringSessions(300, 80, 5));

  it('makes the session component (item transitions) the best alone and the heaviest in the blend', () => {
    const transitions = result.components.find((c) => c.name === 'item-transitions')!;
    const others = result.components.filter((c) => c !== transitions);
    expect(transitions.weight).toBeGreaterThan(0);
    for (const other of others) {
      expect(transitions.tuningNdcg).toBeGreaterThan(other.tuningNdcg);
      expect(transitions.weight).toBeGreaterThanOrEqual(other.weight);
    }
    expectNeverBelowBestAlone(result);
  });
});
