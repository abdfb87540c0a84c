import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';
import { LocalRecommender, loadDataset, trainHybrid } from '../../src/local/index.ts';
import { personalizeScores } from '../../src/local-personalize/personalize-scores.ts';
import type { Recommender } from '../../src/recommender/types.ts';

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe('Function: personalizeScores', () => {
  let engine: LocalRecommender;
  let scored: Recommender;
  let itemCount: number;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'personalize-scores-'));
    await generateDataset({ outDir: dir, interactions: 2000, users: 80, items: 50, seed: 3 });
    const data = await loadDataset({ interactions: join(dir, 'interactions.csv') });
    engine = LocalRecommender.fromModel(trainHybrid(data, { tune: false }));
    scored = personalizeScores(engine);
    itemCount = engine.hybridModel.items.ids.length;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scores an unknown user in (0, 1], summing to 1 over the catalogue, where the engine goes above 1', async () => {
    const raw = await engine.getRecommendations({ userId: 'nobody', numResults: itemCount });
    // Popularity plus trending, each scaled to a maximum of 1: up to 2.
    expect(raw.items[0]!.score).toBeGreaterThan(1);
    const answer = await scored.getRecommendations({ userId: 'nobody', numResults: itemCount });
    expect(answer.items.map((i) => i.itemId)).toEqual(raw.items.map((i) => i.itemId));
    const scores = answer.items.map((i) => i.score!);
    for (const score of scores) {
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    expect(sum(scores)).toBeCloseTo(1, 5);
  });

  it("keeps a known user's order, scores descending and summing to 1 over the catalogue", async () => {
    const userId = engine.hybridModel.users.ids[0]!;
    const raw = await engine.getRecommendations({ userId, numResults: itemCount });
    const answer = await scored.getRecommendations({ userId, numResults: itemCount });
    expect(answer.items.map((i) => i.itemId)).toEqual(raw.items.map((i) => i.itemId));
    const scores = answer.items.map((i) => i.score!);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(sum(scores)).toBeCloseTo(1, 5);
    const top = await scored.getRecommendations({ userId, numResults: 3 });
    expect(top.items.map((i) => i.score)).toEqual(scores.slice(0, 3));
  });

  it('scores a ranking over its known input items only; unknown ones stay last without score', async () => {
    const userId = engine.hybridModel.users.ids[1]!;
    const inputList = [...engine.hybridModel.items.ids.slice(0, 4), 'not-an-item'];
    const answer = await scored.getPersonalizedRanking({ userId, inputList });
    const known = answer.items.slice(0, 4).map((i) => i.score!);
    expect(sum(known)).toBeCloseTo(1, 6);
    expect(answer.items[4]).toEqual({ itemId: 'not-an-item' });
  });

  it('returns similar items without scores, as Personalize does for SIMS', async () => {
    const answer = await scored.getSimilarItems({ itemId: engine.hybridModel.items.ids[0]!, numResults: 5 });
    expect(answer.items).toHaveLength(5);
    for (const item of answer.items) expect(item.score).toBeUndefined();
  });
});
