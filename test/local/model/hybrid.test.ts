import { describe, expect, it } from 'vitest';
import { ModelFitError } from '../../../src/errors.ts';
import { datasetFromRows } from '../../../src/local/data/index.ts';
import { carveHoldout } from '../../../src/local/model/holdout.ts';
import { loadModel, trainHybrid } from '../../../src/local/model/index.ts';
import type { HybridModel, ScoreQuery } from '../../../src/local/model/types.ts';
import { bestNew, checkerboard, historyOf } from '../algorithms/checkerboard.ts';

const data = checkerboard();
const model = trainHybrid(data);
const id = (index: number) => model.items.ids[index];

function scores(m: HybridModel, query: ScoreQuery): Float32Array {
  const out = new Float32Array(m.items.ids.length);
  m.scoreAll(query, out);
  return out;
}

describe('carveHoldout', () => {
  it('holds out the newest fifth of each sampled user with at least 5 interactions', () => {
    const holdout = carveHoldout(data, 3, 7);
    expect(holdout.users.length).toBe(3);
    expect(holdout.train.interactions.length).toBe(data.interactions.length - 3);
    for (const [p, u] of Array.from(holdout.users).entries()) {
      const own = Array.from({ length: data.interactions.length }, (_, r) => r).filter(
        (r) => data.interactions.userIndex[r] === u,
      );
      const newest = own.reduce((a, b) =>
        data.interactions.timestamp[b]! > data.interactions.timestamp[a]! ? b : a,
      );
      expect(Array.from(holdout.relevant[p]!)).toEqual([data.interactions.itemIndex[newest]]);
    }
  });
});

describe('trainHybrid', () => {
  it('tunes a blend led by a collaborative algorithm, with positive weights', () => {
    const blend = (model as unknown as { parts: { blend: { choice: { name: string; weight: number } }[] } })
      .parts.blend;
    expect(blend.length).toBeGreaterThan(0);
    for (const { choice } of blend) expect(choice.weight).toBeGreaterThan(0);
    const lead = blend.reduce((a, b) => (b.choice.weight > a.choice.weight ? b : a));
    expect(['item-knn', 'rp3beta', 'user-knn']).toContain(lead.choice.name);
  });

  it('recommends the missing community item to a known user', () => {
    const user = data.users.indexOf.get('a0')!;
    const history = model.userHistory(user);
    const mask = new Uint8Array(model.items.ids.length);
    for (const item of history.items) mask[item] = 1;
    const top = model.recommend({ userIndex: user, history }, 3, mask);
    expect(id(top.items[0]!)).toBe('A0');
    expect(Array.from(top.items)).not.toContain(history.items[0]);
  });

  it('fills a short list with popular items up to k', () => {
    const history = historyOf(data, ['A1']);
    const mask = new Uint8Array(model.items.ids.length);
    mask[history.items[0]!] = 1;
    const top = model.recommend({ history }, 10, mask);
    expect(top.items.length).toBe(10);
    expect(new Set(top.items).size).toBe(10);
    expect(Array.from(top.items)).not.toContain(history.items[0]);
  });

  it('reacts to real-time events appended to the history', () => {
    const recencyWeighted = trainHybrid(data, { tune: false });
    const user = data.users.indexOf.get('a0')!;
    const trained = recencyWeighted.userHistory(user);
    const live = historyOf(data, ['B0', 'B1', 'B2']);
    const history = {
      items: Int32Array.from([...trained.items, ...live.items]),
      timestamps: Float64Array.from([...trained.timestamps, ...live.timestamps]),
    };
    expect(bestNew(data, scores(recencyWeighted, { userIndex: user, history: trained }), trained)).toBe('A0');
    expect(bestNew(data, scores(recencyWeighted, { userIndex: user, history }), history)).toMatch(/^B/);
  });

  it('serves a new user with an empty history from popularity', () => {
    const empty = historyOf(data, []);
    const top = model.recommend({ history: empty }, 1);
    // A1 and B1 are skipped by two users each, every other item by one or none: the most popular are A2-A5.
    expect(id(top.items[0]!)).toMatch(/^[AB][2-5]$/);
  });

  it('reaches items without interactions through content similarity', () => {
    const c0 = data.items.indexOf.get('C0')!;
    const similar = model.similarItems(c0, 3);
    expect(similar.items.length).toBeGreaterThan(0);
    for (const item of similar.items) expect(id(item)).toMatch(/^A/);
  });

  it('never returns the item itself as similar', () => {
    const a1 = data.items.indexOf.get('A1')!;
    const similar = model.similarItems(a1, 5);
    expect(Array.from(similar.items)).not.toContain(a1);
    for (const item of similar.items) expect(id(item)).toMatch(/^A/);
  });

  it('makes an added item reachable from a history of content-similar items', () => {
    const m = trainHybrid(data, { tune: false });
    const index = m.addItem('A9', { GENRES: 'Drama' });
    expect(index).toBe(data.items.ids.length);
    expect(m.addItem('A9', { GENRES: 'Drama' })).toBe(index);
    const history = historyOf(data, ['A1', 'A2']);
    expect(scores(m, { history })[index]).toBeGreaterThan(0);
    expect(m.similarItems(index, 3).items.length).toBeGreaterThan(0);
  });

  it('fails with ModelFitError on empty interactions', () => {
    expect(() => trainHybrid(datasetFromRows({ interactions: [] }))).toThrow(ModelFitError);
  });
});

describe('serialize and loadModel', () => {
  it('round-trips to identical scores, ids and histories', () => {
    const m = trainHybrid(data);
    m.addItem('A9', { GENRES: 'Drama' });
    const loaded = loadModel(m.serialize());
    expect(loaded.items.ids).toEqual(m.items.ids);
    expect(loaded.users.ids).toEqual(m.users.ids);
    const user = data.users.indexOf.get('b3')!;
    expect(loaded.userHistory(user)).toEqual(m.userHistory(user));
    for (const query of [
      { userIndex: user, history: m.userHistory(user) },
      { history: historyOf(data, ['A1', 'B2']) },
      { history: historyOf(data, []) },
    ]) {
      expect(scores(loaded, query)).toEqual(scores(m, query));
    }
    expect(loaded.itemAttributes).toEqual(m.itemAttributes);
    expect(loaded.popular(3)).toEqual(m.popular(3));
  });
});
