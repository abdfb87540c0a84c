import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createRecommendHandler } from '../../lambdas/recommend/handler.ts';
import { featureBatchResponse, featuresResponse } from '../../src/api/responses.ts';
import { toEventLogRecords } from '../../src/event-log/to-record.ts';
import { MemoryFeatureStore } from '../../src/features/memory-feature-store.ts';
import { FakeLocalEngine } from '../serving/fake-local-engine.ts';
import { recordingTelemetry } from '../serving/telemetry.ts';
import { apiEvent, bodyOf } from './events.ts';

const NOW_MS = 1_700_000_000_000;
const NOW = NOW_MS / 1000;

async function setup() {
  const store = new MemoryFeatureStore({
    now: () => NOW_MS,
    categoryOf: (itemId) => (itemId.startsWith('shoe') ? 'shoes' : undefined),
  });
  await store.apply(
    toEventLogRecords(
      {
        sessionId: 's1',
        userId: 'u1',
        events: [
          { eventType: 'click', itemId: 'shoe-1', sentAt: new Date(NOW_MS - 30_000) },
          { eventType: 'purchase', itemId: 'shoe-2', sentAt: new Date(NOW_MS - 10_000) },
        ],
      },
      new Date(NOW_MS),
    ),
  );
  const engine = new FakeLocalEngine();
  const telemetry = recordingTelemetry();
  const handler = createRecommendHandler({
    recommender: engine,
    popular: engine,
    features: store,
    logger: telemetry.logger,
    metrics: telemetry.metrics,
  });
  return { handler };
}

describe('FeatureRead routes (recommend Lambda)', () => {
  it('GET /users/{userId}/features returns the chosen features of a known user, with the request id', async () => {
    const { handler } = await setup();
    const reply = await handler(
      apiEvent('GET', '/users/u1/features?features=recent_items,category_counts_1h,session_id', undefined, {
        'x-request-id': 'req-1',
      }),
    );
    expect(reply.statusCode).toBe(200);
    const body = bodyOf(reply);
    expect(body).toEqual({
      id: 'u1',
      status: 'FOUND',
      features: { recent_items: ['shoe-2', 'shoe-1'], category_counts_1h: { shoes: 2 }, session_id: 's1' },
      requestId: body.requestId,
    });
    expect(z.strictObject(featuresResponse.shape).safeParse(body).error).toBeUndefined();
  });

  it('GET /items/{itemId}/features counts the item; an unknown item is NOT_FOUND with 200', async () => {
    const { handler } = await setup();
    const known = bodyOf(await handler(apiEvent('GET', '/items/shoe-2/features?features=event_counts_24h')));
    expect(known).toMatchObject({
      id: 'shoe-2',
      status: 'FOUND',
      features: { event_counts_24h: { purchase: 1 } },
    });
    const unknown = await handler(apiEvent('GET', '/items/nope/features'));
    expect(unknown.statusCode).toBe(200);
    expect(bodyOf(unknown)).toEqual({
      id: 'nope',
      status: 'NOT_FOUND',
      requestId: bodyOf(unknown).requestId,
    });
  });

  it('POST /features/batch answers every entity in request order, NOT_FOUND per missing one', async () => {
    const { handler } = await setup();
    const reply = await handler(
      apiEvent('POST', '/features/batch', {
        users: ['ghost', 'u1'],
        items: ['shoe-1'],
        features: { user: ['session_length'], item: ['last_interaction'] },
      }),
    );
    expect(reply.statusCode).toBe(200);
    const body = bodyOf(reply);
    expect(z.strictObject(featureBatchResponse.shape).safeParse(body).error).toBeUndefined();
    expect(body.users).toEqual([
      { id: 'ghost', status: 'NOT_FOUND' },
      { id: 'u1', status: 'FOUND', features: { session_length: 2 } },
    ]);
    expect(body.items).toEqual([{ id: 'shoe-1', status: 'FOUND', features: { last_interaction: NOW - 30 } }]);
  });

  it.each([
    ['GET', '/users/u1/features?features=shoe_size', undefined, 'features.0'],
    ['GET', '/users/u1/features?color=red', undefined, 'color'],
    ['POST', '/features/batch', {}, 'users'],
    ['POST', '/features/batch', { items: Array.from({ length: 101 }, (_, i) => `i${i}`) }, 'items'],
    ['POST', '/features/batch', { users: ['u1'], features: { user: ['popularity'] } }, 'features.user.0'],
  ])('%s %s refuses bad input with 400 naming the field', async (method, url, body, field) => {
    const { handler } = await setup();
    const reply = await handler(apiEvent(method, url, body));
    expect(reply.statusCode).toBe(400);
    const issues = bodyOf(reply).issues as { field: string; message: string }[];
    expect(issues.map((issue) => issue.field)).toContain(field);
  });
});
