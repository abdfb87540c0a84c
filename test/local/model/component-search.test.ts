import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random.ts';
import { InvalidInputError } from '../../../src/errors.ts';
import { ContentScorer } from '../../../src/local/algorithms/content.ts';
import type { AlgorithmPlugin, ScorerOptions } from '../../../src/local/algorithms/plugin.ts';
import { BUILTIN_ALGORITHMS } from '../../../src/local/algorithms/registry.ts';
import { datasetFromRows, type InteractionRow } from '../../../src/local/data/index.ts';
import { searchComponents } from '../../../src/local/model/component-search.ts';
import { carveHoldout } from '../../../src/local/model/holdout.ts';
import { DEFAULT_DECAY_GATE, DEFAULT_NOISE_GATE, tuningSpace } from '../../../src/local/model/tune.ts';
import { TuningSet } from '../../../src/local/model/tuning-set.ts';
import { closeTuningTeam } from '../../../src/local/model/tuning-workers.ts';
import { successorAlgorithm } from './toy-algorithm.ts';

/** Users drawn from three taste groups of 30 items each, with a popular head inside each group. */
function groupedData() {
  const rng = createRng(11);
  const interactions: InteractionRow[] = [];
  for (let u = 0; u < 150; u++) {
    const group = u % 3;
    const seen = new Set<number>();
    for (let e = 0; e < 12; e++) {
      const item = group * 30 + Math.floor(30 * rng.next() ** 2);
      if (seen.has(item)) continue;
      seen.add(item);
      interactions.push({ userId: `u${u}`, itemId: `i${item}`, timestamp: 1_000 + u * 100 + e });
    }
  }
  const items = Array.from({ length: 90 }, (_, i) => ({
    ITEM_ID: `i${i}`,
    GENRES: `g${Math.floor(i / 30)}`,
  }));
  return datasetFromRows({ interactions, items });
}

const data = groupedData();
const tuning = new TuningSet(carveHoldout(data, 100, 42));
const registry = [...BUILTIN_ALGORITHMS, successorAlgorithm];
const space = tuningSpace(registry, 'full');
const GATES = { config: DEFAULT_NOISE_GATE, decay: DEFAULT_DECAY_GATE };

function run(helpers: number) {
  const content = new ContentScorer();
  let fits = 0;
  const fitted = () => {
    if (fits++ === 0) content.fit(data);
    return content;
  };
  const searched = searchComponents(tuning, space, registry, { content: fitted }, GATES, undefined, helpers);
  return { searched, content };
}

afterAll(() => closeTuningTeam());

describe('searchComponents', () => {
  it('keeps one best grid point per component, in the space order, with rows scaled to max 1', () => {
    const { searched } = run(0);
    expect(searched.map((s) => s.name)).toEqual(space.components.map((c) => c.name));
    for (const s of searched) {
      expect(s.scores.length).toBe(tuning.size * tuning.itemCount);
      for (let p = 0; p < tuning.size; p++) {
        const row = s.scores.subarray(p * tuning.itemCount, (p + 1) * tuning.itemCount);
        const max = row.reduce((m, x) => Math.max(m, x), 0);
        expect(max === 0 || Math.abs(max - 1) < 1e-6).toBe(true);
      }
    }
  });

  it('gives the same choices, NDCG and scores on helper threads as on this thread', () => {
    const here = run(0);
    const threads = run(2);
    expect(threads.searched.map((s) => [s.name, s.options, s.ndcg])).toEqual(
      here.searched.map((s) => [s.name, s.options, s.ndcg]),
    );
    threads.searched.forEach((s, c) => {
      expect(s.scores).toEqual(here.searched[c]!.scores);
    });
    // The caller's own plugin cannot load in a helper: it ran here, and still won its component.
    expect(threads.searched.find((s) => s.name === 'successor')?.ndcg).toBeGreaterThan(0);
  });

  it('leaves a shared scorer at the recency decay its component won with', () => {
    const { searched, content } = run(2);
    expect(content.recencyDecay).toBe(searched.find((s) => s.name === 'content')?.options['recencyDecay']);
  });

  it('fits with the grid’s tuningFit options merged in, and reports the configuration without them', () => {
    const created: ScorerOptions[] = [];
    const recording: AlgorithmPlugin = {
      ...successorAlgorithm,
      name: 'recording',
      create: (options) => {
        created.push(options);
        return successorAlgorithm.create(options);
      },
      tuning: { full: [{ depth: 1 }, { depth: 2 }], fast: [], recencyDecay: false, tuningFit: { cheap: 1 } },
    };
    const own = [recording];
    const [searched] = searchComponents(tuning, tuningSpace(own, 'full'), own, {}, GATES, undefined, 0);
    expect(created).toEqual([
      { depth: 1, cheap: 1 },
      { depth: 2, cheap: 1 },
    ]);
    expect(searched!.options).not.toHaveProperty('cheap');
  });

  it('rejects a bad config with the scorer’s own typed error, wherever it would have run', () => {
    const grid = { name: 'ease', configs: [{ lambda: -1 }, { lambda: 100 }], searchRecencyDecay: true };
    const bad = { ...space, components: [grid] };
    expect(() => searchComponents(tuning, bad, registry, {}, GATES, undefined, 2)).toThrow(InvalidInputError);
  });
});
