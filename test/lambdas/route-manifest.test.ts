import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createEventsHandler } from '../../lambdas/events/handler.ts';
import { createRecommendHandler } from '../../lambdas/recommend/handler.ts';
import { createApiHandler, type RouteImplementations } from '../../lambdas/shared/api-handler.ts';
import { ingestionResponse, recommendationsResponse } from '../../src/api/responses.ts';
import {
  API_ROUTE_LIST,
  type LambdaName,
  pathParamNames,
  requiredQueryParams,
  routesOf,
} from '../../src/api/routes.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';
import { MemoryFeatureStore } from '../../src/features/memory-feature-store.ts';
import { FallbackRecommender } from '../../src/serving/fallback-recommender.ts';
import { FakeLocalEngine } from '../serving/fake-local-engine.ts';
import { recordingTelemetry } from '../serving/telemetry.ts';
import { apiEvent, bodyOf } from './events.ts';

function handlers() {
  const telemetry = recordingTelemetry();
  const engine = new FakeLocalEngine();
  const deps = { logger: telemetry.logger, metrics: telemetry.metrics };
  return {
    recommend: createRecommendHandler({
      recommender: new FallbackRecommender({ local: async () => engine, ...telemetry }),
      popular: engine,
      features: new MemoryFeatureStore(),
      ...deps,
    }),
    events: createEventsHandler({
      recommender: { putEvents: async () => undefined },
      deadLetters: { send: async () => undefined },
      random: seededRandom(1),
      ...deps,
    }),
  };
}

const LAMBDAS: LambdaName[] = ['recommend', 'events'];

describe('Route manifest (src/api/routes.ts)', () => {
  it('has one entry per method and path, and unique ids', () => {
    const keys = API_ROUTE_LIST.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(API_ROUTE_LIST.map((route) => route.id)).size).toBe(API_ROUTE_LIST.length);
  });

  it.each(API_ROUTE_LIST.map((route) => [route.id, route] as const))(
    '%s declares a schema member for each path parameter, and only those',
    (_id, route) => {
      expect(Object.keys(route.params?.shape ?? {}).sort()).toEqual(pathParamNames(route.path).sort());
    },
  );

  it('tells the required query parameters from the schemas', () => {
    const required = (id: string) => requiredQueryParams(API_ROUTE_LIST.find((r) => r.id === id)!);
    expect(required('getRecommendations')).toEqual(['userId']);
    expect(required('getSimilarItems')).toEqual([]);
  });

  it.each(LAMBDAS)('the %s Lambda serves exactly its manifest routes', (lambda) => {
    const handler = handlers()[lambda];
    expect([...handler.routes].sort()).toEqual(
      routesOf(lambda)
        .map((route) => route.id)
        .sort(),
    );
  });

  it.each(LAMBDAS)('the %s Lambda answers each of its routes (no 404 or 405)', async (lambda) => {
    const handler = handlers()[lambda];
    for (const route of routesOf(lambda)) {
      const path = route.path.replace(/\{(\w+)\}/g, 'x1');
      const result = await handler(apiEvent(route.method, path, route.body ? {} : undefined));
      expect([404, 405], `${route.method} ${route.path}`).not.toContain(result.statusCode);
    }
  });

  it('refuses implementations that miss a manifest route or add one it does not have', () => {
    const telemetry = recordingTelemetry();
    const options = { logger: telemetry.logger, metrics: telemetry.metrics };
    const answer = async () => ({ status: 200, body: {} });
    expect(() =>
      createApiHandler({
        ...options,
        lambda: 'recommend',
        implementations: { getRecommendations: answer } as unknown as RouteImplementations<'recommend'>,
      }),
    ).toThrow(
      /missing \[getSimilarItems, getPopular, rankItems, listUsers, getUserHistory, getUserFeatures, getItemFeatures, readFeatureBatch\]/,
    );
    expect(() =>
      createApiHandler({
        ...options,
        lambda: 'events',
        implementations: {
          recordEvents: answer,
          getPopular: answer,
        } as unknown as RouteImplementations<'events'>,
      }),
    ).toThrow(/not in the manifest for events \[getPopular\]/);
  });

  it('replies with the bodies the manifest describes', async () => {
    const { recommend, events } = handlers();
    const read = await recommend(apiEvent('GET', '/recommendations?userId=u1'));
    expect(read.statusCode).toBe(200);
    expect(z.strictObject(recommendationsResponse.shape).safeParse(bodyOf(read)).error).toBeUndefined();
    const write = await events(
      apiEvent('POST', '/events', {
        sessionId: 's1',
        events: [{ eventType: 'click', sentAt: 1_700_000_000 }],
      }),
    );
    expect(write.statusCode).toBe(200);
    expect(z.strictObject(ingestionResponse.shape).safeParse(bodyOf(write)).error).toBeUndefined();
  });
});
