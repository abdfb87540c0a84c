import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.ts';
import { MemoryFeatureStore } from '../../src/features/memory-feature-store.ts';
import {
  readFeatureBatch,
  readItemFeatures,
  readUserFeatures,
  validateFeatureBatchRequest,
  validateItemFeaturesRequest,
  validateUserFeaturesRequest,
} from '../../src/features/read-api.ts';
import { clock, event, T0 } from './fixtures.ts';

async function store() {
  const s = new MemoryFeatureStore({ now: clock(T0 + 60).now });
  await s.apply([event({ timestamp: T0, userId: 'u1', itemId: 'i1', eventType: 'purchase' })]);
  return s;
}

function issuesOf(call: () => unknown) {
  try {
    call();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.issues;
    throw error;
  }
  throw new Error('expected InvalidInputError');
}

describe('FeatureRead API', () => {
  it('GET /users/{userId}/features reads the listed features, or all', async () => {
    const s = await store();
    const input = validateUserFeaturesRequest({ userId: 'u1', features: 'last_seen,event_counts_1h' });
    expect(await readUserFeatures(s, input)).toEqual({
      id: 'u1',
      status: 'FOUND',
      features: { last_seen: T0, event_counts_1h: { purchase: 1 } },
    });
    const all = await readUserFeatures(s, validateUserFeaturesRequest({ userId: 'u1' }));
    expect(all.status === 'FOUND' && Object.keys(all.features)).toHaveLength(13);
    expect(await readUserFeatures(s, validateUserFeaturesRequest({ userId: 'nobody' }))).toEqual({
      id: 'nobody',
      status: 'NOT_FOUND',
    });
  });

  it('GET /items/{itemId}/features takes a list too', async () => {
    const s = await store();
    const input = validateItemFeaturesRequest({ itemId: 'i1', features: ['last_interaction'] });
    expect(await readItemFeatures(s, input)).toEqual({
      id: 'i1',
      status: 'FOUND',
      features: { last_interaction: T0 },
    });
  });

  it('POST /features/batch answers every entity', async () => {
    const s = await store();
    const input = validateFeatureBatchRequest({
      users: ['u1', 'u404'],
      items: ['i1'],
      features: { user: ['session_id'], item: ['event_counts_24h'] },
    });
    expect(await readFeatureBatch(s, input)).toEqual({
      users: [
        { id: 'u1', status: 'FOUND', features: { session_id: 's1' } },
        { id: 'u404', status: 'NOT_FOUND' },
      ],
      items: [{ id: 'i1', status: 'FOUND', features: { event_counts_24h: { purchase: 1 } } }],
    });
  });

  it('fails naming each bad field and the limit', () => {
    expect(
      issuesOf(() => validateUserFeaturesRequest({ userId: '', features: 'last_seen,popularity' })),
    ).toEqual([
      { field: 'userId', message: 'must be 1 to 256 characters' },
      { field: 'features.1', message: expect.stringMatching(/^must be one of recent_items, /) },
    ]);
    expect(issuesOf(() => validateItemFeaturesRequest({ itemId: 'i', features: '' }))).toEqual([
      { field: 'features', message: expect.stringMatching(/^must name at least one of event_counts_1h/) },
    ]);
    expect(issuesOf(() => validateFeatureBatchRequest({}))).toEqual([
      { field: 'users', message: 'must name at least one user or item' },
    ]);
    expect(
      issuesOf(() =>
        validateFeatureBatchRequest({ users: Array.from({ length: 101 }, (_, i) => `u${i}`), extra: 1 }),
      ),
    ).toEqual([
      { field: 'users', message: 'must hold at most 100 user ids' },
      { field: '(request)', message: 'unknown field(s): extra' },
    ]);
    expect(
      issuesOf(() => validateFeatureBatchRequest({ items: ['i'], features: { item: ['last_seen'] } })),
    ).toEqual([
      { field: 'features.item.0', message: expect.stringMatching(/^must be one of event_counts_1h/) },
    ]);
  });
});
