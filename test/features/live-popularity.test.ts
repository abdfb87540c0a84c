import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';
import { CATEGORIES } from '../../src/datagen/vocabulary.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { livePopularity } from '../../src/features/live-popularity.ts';
import { MemoryFeatureStore } from '../../src/features/memory-feature-store.ts';
import { blendLivePopularity, LocalRecommender, trainLocalRecommender } from '../../src/local/index.ts';
import type { HybridModel } from '../../src/local/model/types.ts';
import { event } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'live-popularity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** The generator's default end of the simulated period (2025-01-01). */
const NOW = 1_735_689_600;

let model: HybridModel;
beforeAll(async () => {
  const { files } = await generateDataset({
    outDir: dir,
    interactions: 20_000,
    users: 1000,
    items: 400,
    seed: 3,
  });
  model = (await trainLocalRecommender(files, { training: { tune: false } })).hybridModel;
}, 60_000);

describe('Function: blendLivePopularity', () => {
  it('adds live activity scaled to its best item to the trained scores scaled to theirs', () => {
    const trained = { items: Int32Array.of(0, 1, 2), scores: Float32Array.of(10, 5, 1) };
    const blended = blendLivePopularity(
      trained,
      [
        { item: 7, score: 4 },
        { item: 2, score: 2 },
      ],
      3,
      1,
    );
    expect(Array.from(blended.items)).toEqual([0, 7, 2]);
    expect(Array.from(blended.scores)).toEqual([1, 1, Math.fround(0.1 + 0.5)]);
    const none = blendLivePopularity(trained, [], 2, 1);
    expect(Array.from(none.items)).toEqual([0, 1]);
  });
});

describe('Live popularity in GET /popular', () => {
  it('puts the 100th most popular item in the top 10 after 500 fresh purchases', async () => {
    // Prepare
    const plain = LocalRecommender.fromModel(model);
    const hundredth = (await plain.getPopular({ numResults: 100 })).items[99]!.itemId;
    const store = new MemoryFeatureStore({ now: () => NOW * 1000 });
    const recommender = LocalRecommender.fromModel(model, {
      livePopularity: { source: livePopularity(store, { now: () => NOW * 1000 }) },
    });
    await store.apply([
      ...Array.from({ length: 500 }, (_, i) =>
        event({ timestamp: NOW - i, eventType: 'purchase', userId: `live${i}`, itemId: hundredth }),
      ),
      event({ timestamp: NOW, itemId: 'not-in-the-catalogue' }),
    ]);

    // Act
    const top10 = (await recommender.getPopular({ numResults: 10 })).items.map((i) => i.itemId);

    // Assess
    expect((await plain.getPopular({ numResults: 10 })).items.map((i) => i.itemId)).not.toContain(hundredth);
    expect(top10).toContain(hundredth);
    expect(top10).toHaveLength(10);
    expect(new Set(top10).size).toBe(10);
    expect(top10).not.toContain('not-in-the-catalogue');
  });

  it('keeps a category request to its category', async () => {
    const plain = LocalRecommender.fromModel(model);
    const hundredth = (await plain.getPopular({ numResults: 100 })).items[99]!.itemId;
    const category = plain.categoryOf(hundredth)!;
    const other = CATEGORIES.map((c) => c.name).find((c) => c !== category)!;
    const store = new MemoryFeatureStore({ now: () => NOW * 1000, categoryOf: (id) => plain.categoryOf(id) });
    await store.apply(
      Array.from({ length: 500 }, (_, i) => event({ timestamp: NOW, userId: `u${i}`, itemId: hundredth })),
    );
    const recommender = LocalRecommender.fromModel(model, {
      livePopularity: { source: livePopularity(store) },
    });
    expect((await recommender.getPopular({ category, numResults: 5 })).items[0]!.itemId).toBe(hundredth);
    const elsewhere = await recommender.getPopular({ numResults: 50, category: other });
    expect(elsewhere.items.map((i) => i.itemId)).not.toContain(hundredth);
    // The category lookup also feeds the per-category counts of the users.
    const row = await store.readUser('u0', ['category_counts_1h']);
    expect(row.status === 'FOUND' && row.features.category_counts_1h).toEqual({ [category]: 1 });
  });

  it('can be switched on after the engine is built, and off again', async () => {
    const engine = LocalRecommender.fromModel(model);
    const hundredth = (await engine.getPopular({ numResults: 100 })).items[99]!.itemId;
    engine.setLivePopularity({ source: { topItems: () => [{ itemId: hundredth, score: 5 }] } });
    expect((await engine.getPopular({ numResults: 10 })).items.map((i) => i.itemId)).toContain(hundredth);
    engine.setLivePopularity(undefined);
    expect((await engine.getPopular({ numResults: 10 })).items.map((i) => i.itemId)).not.toContain(hundredth);
    expect(() => engine.setLivePopularity({ source: { topItems: () => [] }, depth: 0 })).toThrow(
      /livePopularity.depth: must be a positive integer/,
    );
  });

  it('blends live activity into the cold-start answer of a user without history, and only there', async () => {
    // Prepare
    const plain = LocalRecommender.fromModel(model);
    const hundredth = (await plain.getPopular({ numResults: 100 })).items[99]!.itemId;
    const known = model.users.ids[0]!;
    const engine = LocalRecommender.fromModel(model, {
      livePopularity: { source: { topItems: () => [{ itemId: hundredth, score: 500 }] } },
    });
    const ids = async (r: LocalRecommender, userId: string, filter?: string) =>
      (await r.getRecommendations({ userId, numResults: 10, ...(filter && { filter }) })).items.map(
        (i) => i.itemId,
      );

    // Act
    const cold = await ids(engine, 'a-brand-new-user');

    // Assess
    expect(await ids(plain, 'a-brand-new-user')).not.toContain(hundredth);
    expect(cold).toContain(hundredth);
    expect(new Set(cold).size).toBe(10);
    expect(await ids(engine, known)).toEqual(await ids(plain, known));
    // A filter still decides: an excluded live item stays out.
    const category = plain.categoryOf(hundredth)!;
    engine.createFilter('not-it', `EXCLUDE ItemID WHERE Items.CATEGORY IN ("${category}")`);
    expect(await ids(engine, 'a-brand-new-user', 'not-it')).not.toContain(hundredth);
  });

  it('fails on a negative weight', () => {
    expect(() =>
      LocalRecommender.fromModel(model, { livePopularity: { source: { topItems: () => [] }, weight: -1 } }),
    ).toThrow(InvalidInputError);
  });
});

describe('Function: livePopularity', () => {
  it('reuses a ranking until events arrive and cacheMs has passed, and recomputes for a deeper request', () => {
    let calls = 0;
    let now = 0;
    const store = {
      version: 0,
      topItems: (k: number) => {
        calls++;
        return Array.from({ length: k }, (_, i) => ({ itemId: `i${i}`, score: k - i }));
      },
    };
    const source = livePopularity(store, { cacheMs: 100, now: () => now });
    expect(source.topItems(5)).toHaveLength(5);
    expect(source.topItems(3).map((s) => s.itemId)).toEqual(['i0', 'i1', 'i2']);
    expect(calls).toBe(1);
    expect(source.topItems(8)).toHaveLength(8);
    expect(calls).toBe(2);
    // No new events: reused however old.
    now = 1000;
    source.topItems(2);
    expect(calls).toBe(2);
    store.version = 1;
    source.topItems(2);
    expect(calls).toBe(3);
    // Events keep coming: at most one ranking per cacheMs.
    store.version = 2;
    now = 1050;
    source.topItems(2);
    expect(calls).toBe(3);
    now = 1100;
    source.topItems(2);
    expect(calls).toBe(4);
  });
});
