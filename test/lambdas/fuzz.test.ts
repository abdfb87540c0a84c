import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventsHandler } from '../../lambdas/events/handler.ts';
import { createRecommendHandler } from '../../lambdas/recommend/handler.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';
import { MemoryFeatureStore } from '../../src/features/memory-feature-store.ts';
import { FallbackRecommender } from '../../src/serving/fallback-recommender.ts';
import { MemoryOnlineStore } from '../../src/serving/memory-online-store.ts';
import { FakeLocalEngine } from '../serving/fake-local-engine.ts';
import { recordingTelemetry } from '../serving/telemetry.ts';
import { apiEvent } from './events.ts';

const telemetry = recordingTelemetry();
const engine = new FakeLocalEngine();
const recommend = createRecommendHandler({
  recommender: new FallbackRecommender({ local: async () => engine, ...telemetry }),
  popular: engine,
  features: new MemoryFeatureStore(),
  ...telemetry,
});
const events = createEventsHandler({
  recommender: { putEvents: async () => undefined },
  deadLetters: { send: async () => undefined },
  onlineStore: new MemoryOnlineStore(),
  random: seededRandom(1),
  ...telemetry,
});

const names = fc.constantFrom(
  'userId',
  'itemId',
  'numResults',
  'filter',
  'filterValues',
  'context',
  'metadataColumns',
  'category',
  'itemIds',
  'sessionId',
  'events',
  '__proto__',
  'constructor',
);
const texts = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '25',
    '501',
    '1e3',
    'NaN',
    '{}',
    '{"A":"x"}',
    '{"A":1}',
    '[]',
    'null',
    '{"a b":"x"}',
  ),
  fc.json(),
);
const query = fc.dictionary(fc.oneof(names, fc.string()), texts, { maxKeys: 6 });
const eventish = fc.record(
  {
    eventType: fc.oneof(fc.string(), fc.integer()),
    itemId: fc.oneof(fc.string(), fc.constant(null)),
    sentAt: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(1_700_000_000)),
    eventValue: fc.oneof(fc.double(), fc.string()),
    properties: fc.oneof(fc.object(), fc.dictionary(fc.string(), fc.string())),
    impression: fc.array(fc.string(), { maxLength: 30 }),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.string(),
  fc.json(),
  fc.anything().map((v) => JSON.stringify(v) ?? ''),
  fc
    .record(
      {
        userId: fc.oneof(fc.string(), fc.integer()),
        sessionId: fc.oneof(fc.string(), fc.integer()),
        itemIds: fc.oneof(fc.array(fc.string(), { maxLength: 600 }), fc.string()),
        events: fc.oneof(fc.array(eventish, { maxLength: 120 }), fc.object()),
        context: fc.oneof(fc.object(), fc.dictionary(fc.string(), fc.string())),
        filterValues: fc.dictionary(fc.string(), fc.string()),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
);
const path = fc.oneof(
  fc.constantFrom(
    '/recommendations',
    '/rankings',
    '/popular',
    '/events',
    '/items/x/similar',
    '/items//similar',
  ),
  fc.string().map((s) => `/items/${encodeURIComponent(s)}/similar`),
  fc.string().map((s) => `/${s.replace(/[?#]/g, '')}`),
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH');

function url(p: string, q: Record<string, string>) {
  const search = new URLSearchParams(q).toString();
  return search ? `${p}?${search}` : p;
}

describe('Fuzz: every route of both handlers', () => {
  it('never answers 5xx to random methods, paths, query strings and bodies', async () => {
    await fc.assert(
      fc.asyncProperty(method, path, query, body, async (m, p, q, b) => {
        const handler = p.startsWith('/events') ? events : recommend;
        const result = await handler(apiEvent(m, url(p, q), b));
        expect(result.statusCode, result.body).toBeLessThan(500);
        expect(() => JSON.parse(result.body || '{}')).not.toThrow();
      }),
      { numRuns: 600, seed: 20_261_129 },
    );
  });
});
