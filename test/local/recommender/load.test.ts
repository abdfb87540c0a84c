import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ResourceNotFoundError } from '../../../src/errors.ts';
import { LocalRecommender, trainLocalRecommender } from '../../../src/local/index.ts';
import { shopRows } from './world.ts';

const dir = mkdtempSync(join(tmpdir(), 'local-recommender-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeCsv(name: string, rows: readonly Record<string, unknown>[]): string {
  const header = Object.keys(rows[0]!);
  const lines = rows.map((row) => header.map((h) => String(row[h] ?? '')).join(','));
  const path = join(dir, name);
  writeFileSync(path, `${[header.join(','), ...lines].join('\n')}\n`);
  return path;
}

describe('Class: LocalRecommender', () => {
  it('trains from CSV files, saves its model and serves the same answers after load', async () => {
    // Prepare
    const { interactions, items, users } = shopRows();
    const files = {
      interactions: writeCsv(
        'interactions.csv',
        interactions.map((r) => ({
          USER_ID: r.userId,
          ITEM_ID: r.itemId,
          TIMESTAMP: r.timestamp,
          EVENT_TYPE: r.eventType,
        })),
      ),
      items: writeCsv('items.csv', items),
      users: writeCsv('users.csv', users),
    };
    const filters = [{ name: 'games', expression: 'INCLUDE ItemID WHERE Items.CATEGORY IN ("games")' }];
    // Act
    const trained = await trainLocalRecommender(files, { filters, training: { tune: false } });
    const artifact = join(dir, 'model.bin');
    writeFileSync(artifact, trained.hybridModel.serialize());
    const loaded = await LocalRecommender.load(artifact, { filters });
    // Assess
    const request = { userId: 'u3', numResults: 5, filter: 'games' };
    const expected = await trained.getRecommendations(request);
    const actual = await loaded.getRecommendations(request);
    expect(actual.items).toEqual(expected.items);
    expect(actual.items).toHaveLength(5);
  });

  it('fails with ResourceNotFoundError for a missing model file', async () => {
    await expect(LocalRecommender.load(join(dir, 'missing.bin'))).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
  });
});
