import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probability, softmaxOf, softmaxOfSparse } from '../../../src/core/softmax.ts';
import { generateDataset } from '../../../src/datagen/index.ts';
import { LocalRecommender, loadDataset, trainHybrid } from '../../../src/local/index.ts';
import type { HybridModel } from '../../../src/local/model/types.ts';

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe("LocalRecommender's scores follow Personalize's rule", () => {
  let model: HybridModel;
  let engine: LocalRecommender;
  let itemCount: number;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'personalize-scores-'));
    await generateDataset({ outDir: dir, interactions: 2000, users: 80, items: 50, seed: 3 });
    const data = await loadDataset({ interactions: join(dir, 'interactions.csv') });
    model = trainHybrid(data, { tune: false });
    engine = LocalRecommender.fromModel(model);
    itemCount = model.items.ids.length;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Every item's probability under the softmax of the model's dense scores for `userIndex`'s history. */
  const denseProbabilities = (userIndex: number | undefined) => {
    const history =
      userIndex === undefined
        ? { items: new Int32Array(0), timestamps: new Float64Array(0) }
        : model.userHistory(userIndex);
    const scores = new Float32Array(itemCount);
    model.scoreAll({ userIndex, history }, scores);
    const softmax = softmaxOf(scores);
    return new Map(model.items.ids.map((id, i) => [id, probability(scores[i]!, softmax)]));
  };

  it('scores an unknown user in (0, 1], summing to 1 over the catalogue, though the blend reaches 2', async () => {
    // Popularity plus trending, each scaled to a maximum of 1: the engine's own top score is near 2.
    const raw = model.recommend(
      { history: { items: new Int32Array(0), timestamps: new Float64Array(0) } },
      1,
    );
    expect(raw.scores[0]).toBeGreaterThan(1);
    const answer = await engine.getRecommendations({ userId: 'nobody', numResults: itemCount });
    const scores = answer.items.map((i) => i.score!);
    for (const score of scores) {
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    expect(sum(scores)).toBeCloseTo(1, 5);
    const expected = denseProbabilities(undefined);
    for (const item of answer.items) expect(item.score).toBeCloseTo(expected.get(item.itemId)!, 7);
  });

  it("keeps a known user's order, scores descending, each its softmax probability over the catalogue", async () => {
    const userIndex = 0;
    const userId = model.users.ids[userIndex]!;
    const ranked = model.recommend({ userIndex, history: model.userHistory(userIndex) }, itemCount);
    const answer = await engine.getRecommendations({ userId, numResults: itemCount });
    expect(answer.items.map((i) => i.itemId)).toEqual(Array.from(ranked.items, (i) => model.items.ids[i]));
    const scores = answer.items.map((i) => i.score!);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(sum(scores)).toBeCloseTo(1, 5);
    const expected = denseProbabilities(userIndex);
    for (const item of answer.items) expect(item.score).toBeCloseTo(expected.get(item.itemId)!, 7);
    // A shorter or filtered answer keeps the catalogue-wide scale: masked items still count in the sum.
    const top = await engine.getRecommendations({ userId, numResults: 3 });
    expect(top.items.map((i) => i.score)).toEqual(scores.slice(0, 3));
  });

  it('scores a ranking over its known input items only; unknown ones stay last without score', async () => {
    const userId = model.users.ids[1]!;
    const inputList = [...model.items.ids.slice(0, 4), 'not-an-item'];
    const answer = await engine.getPersonalizedRanking({ userId, inputList });
    const known = answer.items.slice(0, 4).map((i) => i.score!);
    expect(sum(known)).toBeCloseTo(1, 6);
    expect([...known].sort((a, b) => b - a)).toEqual(known);
    expect(answer.items[4]).toEqual({ itemId: 'not-an-item' });
  });

  it('returns similar items without scores, as Personalize does for SIMS', async () => {
    const answer = await engine.getSimilarItems({ itemId: model.items.ids[0]!, numResults: 5 });
    expect(answer.items).toHaveLength(5);
    for (const item of answer.items) expect(item.score).toBeUndefined();
  });

  it("scores a newcomer's answer with live activity blended in on the same scale", async () => {
    const plain = await engine.getPopular({ numResults: itemCount });
    const last = plain.items.at(-1)!.itemId;
    const live = LocalRecommender.fromModel(model, {
      livePopularity: { source: { topItems: () => [{ itemId: last, score: 9 }] } },
    });
    const answer = await live.getRecommendations({ userId: 'nobody', numResults: itemCount });
    expect(answer.items[0]!.itemId).toBe(last);
    const scores = answer.items.map((i) => i.score!);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(sum(scores)).toBeCloseTo(1, 5);
    // The next newcomer gets the same answer: nothing of the first one's blend is left behind.
    const again = await live.getRecommendations({ userId: 'somebody-else', numResults: itemCount });
    expect(again.items).toEqual(answer.items);
  });
});

describe('Function: softmaxOfSparse', () => {
  it('equals softmaxOf on the dense array, the untouched entries counting 0', () => {
    const dense = Float32Array.of(0, 1.5, 0, -2, 3, 0, 0);
    const touched = Int32Array.of(4, 1, 3);
    const sparse = softmaxOfSparse(dense, touched, 3, dense.length);
    const full = softmaxOf(dense);
    expect(sparse.max).toBe(full.max);
    expect(sparse.sum).toBeCloseTo(full.sum, 12);
  });

  it('takes its maximum from the stored entries when every entry is stored, even below 0', () => {
    const all = Float32Array.of(-3, -1);
    expect(softmaxOfSparse(all, Int32Array.of(0, 1), 2, 2)).toEqual(softmaxOf(all));
  });
});
