import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createRecommendHandler } from '../../lambdas/recommend/handler.ts';
import {
  NotFittedError,
  ResourceInUseError,
  ResourceNotFoundError,
  ThrottledError,
  UnavailableError,
} from '../../src/errors.ts';
import { MemoryFeatureStore } from '../../src/features/memory-feature-store.ts';
import type { Recommender } from '../../src/recommender/types.ts';
import { FallbackRecommender } from '../../src/serving/fallback-recommender.ts';
import { FakeLocalEngine } from '../serving/fake-local-engine.ts';
import { recordingTelemetry } from '../serving/telemetry.ts';
import { apiEvent, bodyOf } from './events.ts';

function setup(recommender?: Recommender) {
  const telemetry = recordingTelemetry();
  const engine = new FakeLocalEngine();
  const handler = createRecommendHandler({
    recommender: recommender ?? new FallbackRecommender({ local: async () => engine, ...telemetry }),
    popular: engine,
    features: new MemoryFeatureStore(),
    logger: telemetry.logger,
    metrics: telemetry.metrics,
  });
  return { handler, engine, ...telemetry };
}

const issuesOf = (result: { body: string }) => bodyOf(result).issues as { field: string; message: string }[];

beforeEach(() => {
  vi.restoreAllMocks();
});

describe('Function: createRecommendHandler', () => {
  describe('GET /recommendations', () => {
    it('answers with the items, their source and the request id (header and body)', async () => {
      const { handler } = setup();
      const result = await handler(
        apiEvent('GET', '/recommendations?userId=u1&numResults=2&context={"DEVICE":"mobile"}'),
      );
      expect(result.statusCode).toBe(200);
      const body = bodyOf(result);
      expect(body).toMatchObject({ items: [{ itemId: 'for-u1' }], source: 'local' });
      expect(body.requestId).toBe(result.headers?.['X-Request-Id']);
      expect(result.headers?.['Access-Control-Allow-Origin']).toBe('*');
    });

    it('keeps a caller’s safe X-Request-Id', async () => {
      const { handler } = setup();
      const result = await handler(
        apiEvent('GET', '/recommendations?userId=u1', undefined, { 'x-request-id': 'abc-1' }),
      );
      expect(result.headers?.['X-Request-Id']).toBe('abc-1');
      expect(bodyOf(result).requestId).toBe('abc-1');
    });

    it.each([
      ['/recommendations', 'userId', 'is required'],
      ['/recommendations?userId=u1&numResults=abc', 'numResults', 'must be an integer'],
      ['/recommendations?userId=u1&numResults=0', 'numResults', 'must be 1 to 500'],
      ['/recommendations?userId=u1&numResults=501', 'numResults', 'must be 1 to 500'],
      ['/recommendations?userId=u1&filterValues=nope', 'filterValues', 'must be a JSON object'],
      ['/recommendations?userId=u1&context=[1]', 'context', 'must be a JSON object'],
      ['/recommendations?userId=u1&context={"DEVICE":1}', 'context.DEVICE', 'must be a string'],
      [`/recommendations?userId=${'u'.repeat(257)}`, 'userId', 'must be 1 to 256 characters'],
      ['/recommendations?userId=u1&colour=red', 'colour', 'is not a known field'],
      ['/recommendations?userId=u1&userId=u2', 'userId', 'must be given once'],
    ])('GET %s → 400 naming %s', async (url, field, message) => {
      const { handler } = setup();
      const result = await handler(apiEvent('GET', url));
      expect(result.statusCode).toBe(400);
      expect(issuesOf(result)).toContainEqual({ field, message: expect.stringContaining(message) });
    });
  });

  describe('GET /items/{itemId}/similar', () => {
    it('answers with similar items, decoding the path segment', async () => {
      const { handler } = setup();
      const result = await handler(apiEvent('GET', '/items/a%20b/similar?numResults=3'));
      expect(result.statusCode).toBe(200);
      expect(bodyOf(result)).toMatchObject({ items: [{ itemId: 'like-a b' }], source: 'local' });
    });

    it('refuses a malformed path segment and bad parameters', async () => {
      const { handler } = setup();
      const malformed = await handler(apiEvent('GET', '/items/%E0%A4%A/similar'));
      expect(malformed.statusCode).toBe(400);
      expect(issuesOf(malformed)[0]?.field).toBe('itemId');
      const badFilter = await handler(apiEvent('GET', '/items/i1/similar?filterValues={"a b":"x"}'));
      expect(badFilter.statusCode).toBe(400);
      expect(issuesOf(badFilter)[0]?.field).toMatch(/^filterValues/);
    });
  });

  describe('POST /rankings', () => {
    it('answers with the ranked item ids', async () => {
      const { handler } = setup();
      const result = await handler(apiEvent('POST', '/rankings', { userId: 'u1', itemIds: ['a', 'b'] }));
      expect(result.statusCode).toBe(200);
      expect(bodyOf(result)).toMatchObject({ items: [{ itemId: 'b' }, { itemId: 'a' }], source: 'local' });
    });

    it.each([
      [{ userId: 'u1' }, 'itemIds', 'is required'],
      [{ userId: 'u1', itemIds: [] }, 'itemIds', 'must hold 1 to 500 item ids'],
      [{ userId: 'u1', itemIds: ['a', 7] }, 'itemIds.1', 'must be a string'],
      [{ itemIds: ['a'] }, 'userId', 'is required'],
      [{ userId: 'u1', itemIds: ['a'], extra: true }, 'extra', 'is not a known field'],
      ['{not json', '(body)', 'must be valid JSON'],
      ['[1,2]', '(body)', 'must be a JSON object'],
    ])('POST %j → 400 naming %s', async (body, field, message) => {
      const { handler } = setup();
      const result = await handler(apiEvent('POST', '/rankings', body));
      expect(result.statusCode).toBe(400);
      expect(issuesOf(result)).toContainEqual({ field, message: expect.stringContaining(message) });
    });

    it('refuses an empty body', async () => {
      const { handler } = setup();
      const result = await handler(apiEvent('POST', '/rankings'));
      expect(result.statusCode).toBe(400);
      expect(issuesOf(result)[0]?.field).toBe('(body)');
    });
  });

  describe('GET /popular', () => {
    it('answers from the local model, by category', async () => {
      const { handler } = setup();
      const result = await handler(apiEvent('GET', '/popular?category=p&numResults=2'));
      expect(result.statusCode).toBe(200);
      expect(bodyOf(result)).toMatchObject({
        items: [{ itemId: 'p1' }, { itemId: 'p2' }],
        source: 'popularity',
      });
    });

    it('refuses a numResults out of range', async () => {
      const { handler } = setup();
      const result = await handler(apiEvent('GET', '/popular?numResults=9999'));
      expect(issuesOf(result)).toEqual([{ field: 'numResults', message: 'must be 1 to 500' }]);
    });
  });

  describe('Routing and CORS', () => {
    it('answers 404 for an unknown path', async () => {
      const { handler } = setup();
      const result = await handler(apiEvent('GET', '/nothing/here'));
      expect(result.statusCode).toBe(404);
      expect(bodyOf(result).requestId).toEqual(expect.any(String));
    });

    it('answers 405 with an Allow header for a wrong method', async () => {
      const { handler } = setup();
      const result = await handler(apiEvent('DELETE', '/recommendations'));
      expect(result.statusCode).toBe(405);
      expect(result.headers?.Allow).toBe('GET, OPTIONS');
      const post = await handler(apiEvent('GET', '/rankings'));
      expect(post.headers?.Allow).toBe('POST, OPTIONS');
    });

    it('answers a CORS preflight for known paths only', async () => {
      const { handler } = setup();
      const result = await handler(apiEvent('OPTIONS', '/items/i1/similar'));
      expect(result.statusCode).toBe(204);
      expect(result.headers).toMatchObject({
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, OPTIONS',
        'Access-Control-Allow-Headers': expect.stringContaining('Content-Type'),
      });
      expect((await handler(apiEvent('OPTIONS', '/elsewhere'))).statusCode).toBe(404);
    });

    it('uses the configured origin', async () => {
      const telemetry = recordingTelemetry();
      const engine = new FakeLocalEngine();
      const handler = createRecommendHandler({
        recommender: engine,
        popular: engine,
        features: new MemoryFeatureStore(),
        cors: { allowOrigin: 'https://shop.example' },
        ...telemetry,
      });
      const result = await handler(apiEvent('GET', '/popular'));
      expect(result.headers).toMatchObject({
        'Access-Control-Allow-Origin': 'https://shop.example',
        Vary: 'Origin',
      });
    });
  });

  describe('Error mapping', () => {
    it.each([
      [new ThrottledError('slow down'), 429, 'slow down'],
      [new UnavailableError('down'), 503, 'down'],
      [new ResourceInUseError('busy'), 409, 'busy'],
      [new ResourceNotFoundError('filter "x" is not configured'), 404, 'filter "x" is not configured'],
      [new NotFittedError(), 503, 'the model is not trained or loaded yet'],
      [new Error('secret internals'), 500, 'internal error'],
    ])('maps %o to %i without leaking internals', async (error, status, message) => {
      const failing = new FakeLocalEngine();
      failing.getRecommendations = () => Promise.reject(error);
      const { handler, errors, recorded } = setup(failing);
      const result = await handler(apiEvent('GET', '/recommendations?userId=u1'));
      expect(result.statusCode).toBe(status);
      expect(bodyOf(result).message).toBe(message);
      if (status >= 500) {
        expect(errors).toHaveBeenCalledWith('request failed', expect.objectContaining({ status }));
        expect(recorded.map((m) => m.name)).toContain('ServerError');
      }
    });
  });
});
