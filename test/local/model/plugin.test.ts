import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random.ts';
import { InvalidInputError } from '../../../src/errors.ts';
import { BUILTIN_ALGORITHMS, createScorer } from '../../../src/local/algorithms/registry.ts';
import { datasetFromRows, type InteractionRow } from '../../../src/local/data/index.ts';
import { LocalRecommender } from '../../../src/local/index.ts';
import { Hybrid, loadModel, trainHybrid, tuningSpace } from '../../../src/local/model/index.ts';
import type { HybridModel } from '../../../src/local/model/types.ts';
import { successorAlgorithm } from './toy-algorithm.ts';

// item-transitions is the built-in form of the toy's idea (what follows what); without it the toy is the only
// component that sees the order, so the test can tell whether the tuner picks up an added algorithm.
const BUILTINS = BUILTIN_ALGORITHMS.filter((plugin) => plugin.name !== 'item-transitions');
const withToy = [...BUILTINS, successorAlgorithm];

const COMMUNITY_ITEMS = 20;
const USERS = 240;

/**
 * Two communities of 20 items; within each, items follow a fixed successor (a seeded cycle). Each user
 * draws from one community: a noise item, then four (x, next) pairs where next is x's successor, except that
 * the newest event (the one the tuner holds out) is x's successor only 60% of the time, else another item of
 * the community. Only order tells a successor from a predecessor, so the toy chain predicts the successor
 * cases; the community (what neighbourhood methods see) ranks the rest, so the tuner blends both.
 */
function sequentialData() {
  const rng = createRng(7);
  const successor = new Array<number>(2 * COMMUNITY_ITEMS);
  for (let c = 0; c < 2; c++) {
    const cycle = Array.from({ length: COMMUNITY_ITEMS }, (_, i) => c * COMMUNITY_ITEMS + i);
    for (let i = cycle.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [cycle[i], cycle[j]] = [cycle[j]!, cycle[i]!];
    }
    cycle.forEach((item, i) => {
      successor[item] = cycle[(i + 1) % cycle.length]!;
    });
  }
  const interactions: InteractionRow[] = [];
  for (let u = 0; u < USERS; u++) {
    const community = u % 2;
    const seen = new Set<number>();
    const unseen = (): number => {
      let x = community * COMMUNITY_ITEMS + rng.int(COMMUNITY_ITEMS);
      while (seen.has(x) || seen.has(successor[x]!))
        x = community * COMMUNITY_ITEMS + rng.int(COMMUNITY_ITEMS);
      seen.add(x);
      return x;
    };
    const events = [unseen()];
    for (let pair = 0; pair < 4; pair++) {
      const x = unseen();
      const next = pair < 3 || rng.chance(0.6) ? successor[x]! : unseen();
      seen.add(next);
      events.push(x, next);
    }
    events.forEach((item, p) => {
      interactions.push({ userId: `u${u}`, itemId: `i${item}`, timestamp: 1_000_000 + u * 100 + p });
    });
  }
  return datasetFromRows({ interactions });
}

const data = sequentialData();
const model = trainHybrid(data, { algorithms: withToy });

function blendOf(m: HybridModel) {
  if (!(m instanceof Hybrid)) throw new Error('expected the hybrid model');
  return m.parts.blend;
}

/** Every user's top 10 (history excluded), as ids with scores. */
function answers(m: HybridModel): { items: string[]; scores: number[] }[] {
  return m.users.ids.map((_, u) => {
    const history = m.userHistory(u);
    const mask = new Uint8Array(m.items.ids.length);
    for (const item of history.items) mask[item] = 1;
    const top = m.recommend({ userIndex: u, history }, 10, mask);
    return { items: Array.from(top.items, (i) => m.items.ids[i]!), scores: Array.from(top.scores) };
  });
}

const dir = mkdtempSync(join(tmpdir(), 'plugin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Algorithm plug-ins', () => {
  it('adds the plugin to the tuning space after the built-in algorithms', () => {
    const names = tuningSpace(withToy, 'full').components.map((c) => c.name);
    expect(names.at(-1)).toBe('successor');
    expect(names.slice(0, -1)).toEqual(tuningSpace(BUILTINS, 'full').components.map((c) => c.name));
    expect(createScorer('successor', {}, withToy).name).toBe('successor');
  });

  it('tunes the added algorithm into the blend with a positive weight', () => {
    const toy = blendOf(model).find((part) => part.choice.name === 'successor');
    expect(toy?.choice.weight).toBeGreaterThan(0);
  });

  it('serves identical recommendations after a round trip through the model file with the same registry', () => {
    const loaded = loadModel(model.serialize(), withToy);
    expect(blendOf(loaded).map((p) => p.choice)).toEqual(blendOf(model).map((p) => p.choice));
    expect(answers(loaded)).toEqual(answers(model));
  });

  it('fails to load without the plugin, with an InvalidInputError naming the algorithm', () => {
    const bytes = model.serialize();
    const position = blendOf(model).findIndex((part) => part.choice.name === 'successor');
    let error: unknown;
    try {
      loadModel(bytes);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues).toEqual([
      { field: `model.blend.${position}`, message: expect.stringContaining("algorithm 'successor'") },
    ]);
  });

  it('passes the registry through LocalRecommender.load', async () => {
    const path = join(dir, 'model.bin');
    writeFileSync(path, model.serialize());
    const loaded = await LocalRecommender.load(path, { algorithms: withToy });
    expect(answers(loaded.hybridModel)).toEqual(answers(model));
    await expect(LocalRecommender.load(path)).rejects.toThrow(/successor/);
  });
});
