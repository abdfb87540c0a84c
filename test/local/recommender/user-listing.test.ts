import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.ts';
import { trainHybrid } from '../../../src/local/model/train.ts';
import { LocalRecommender } from '../../../src/local/recommender/index.ts';
import { shopDataset, T0 } from './world.ts';

const recommender = () => LocalRecommender.fromModel(trainHybrid(shopDataset()));

describe('Class: LocalRecommender, users and histories', () => {
  it('lists user ids by prefix in the model order, up to numResults', async () => {
    // Prepare
    const engine = recommender();
    const all = engine.hybridModel.users.ids;

    // Act
    const first = await engine.listUsers({ numResults: 2 });
    const byPrefix = await engine.listUsers({ prefix: 'u1' });

    // Assess
    expect(first.userIds).toEqual(all.slice(0, 2));
    expect(byPrefix.userIds).toEqual(all.filter((id) => id.startsWith('u1')));
    expect(byPrefix.userIds.length).toBeGreaterThan(0);
  });

  it("returns a user's training history newest first, real-time events on top, with metadata", async () => {
    // Prepare
    const engine = recommender();
    const training = engine.hybridModel.userHistory(engine.hybridModel.users.indexOf.get('u0')!);
    const item = engine.hybridModel.items.ids[0]!;
    await engine.putEvents({
      sessionId: 's',
      userId: 'u0',
      eventList: [{ eventType: 'purchase', itemId: item, sentAt: new Date((T0 + 99_999) * 1000) }],
    });

    // Act
    const { items } = await engine.getUserHistory({
      userId: 'u0',
      numResults: 50,
      metadataColumns: ['CATEGORY'],
    });

    // Assess
    expect(items).toHaveLength(Math.min(50, training.items.length + 1));
    expect(items[0]).toMatchObject({ itemId: item, eventType: 'purchase', timestamp: T0 + 99_999 });
    expect(items[0]!.metadata?.['CATEGORY']).toEqual(expect.any(String));
    const lastTraining = training.items.length - 1;
    expect(items[1]!.itemId).toBe(engine.hybridModel.items.ids[training.items[lastTraining]!]);
    expect(items[1]!.timestamp).toBe(training.timestamps[lastTraining]);
  });

  it('gives an unknown user an empty history and refuses bad requests', async () => {
    // Prepare
    const engine = recommender();

    // Act
    const stranger = await engine.getUserHistory({ userId: 'stranger' });

    // Assess
    expect(stranger.items).toEqual([]);
    await expect(engine.listUsers({ numResults: 0 })).rejects.toThrow(/numResults: must be 1 to 500/);
    await expect(
      engine.getUserHistory({ userId: 'u0', numResults: 51, metadataColumns: ['CATEGORY'] }),
    ).rejects.toThrow(/numResults: must be at most 50 when metadataColumns is set/);
    await expect(engine.getUserHistory({ userId: '' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(engine.getUserHistory({ userId: 'u0', metadataColumns: ['NOPE'] })).rejects.toThrow(
      /metadataColumns\.0: "NOPE" is not a column/,
    );
  });
});
