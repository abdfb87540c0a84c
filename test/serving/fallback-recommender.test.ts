import { PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import {
  GetPersonalizedRankingCommand,
  GetRecommendationsCommand,
  PersonalizeRuntimeClient,
} from '@aws-sdk/client-personalize-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidInputError, ResourceNotFoundError, UnavailableError } from '../../src/errors.ts';
import { PersonalizeRecommender } from '../../src/personalize/index.ts';
import { CircuitBreaker } from '../../src/serving/circuit-breaker.ts';
import { FallbackRecommender, fallsThrough } from '../../src/serving/fallback-recommender.ts';
import { MemoryOnlineStore } from '../../src/serving/memory-online-store.ts';
import { FakeLocalEngine } from './fake-local-engine.ts';
import { recordingTelemetry } from './telemetry.ts';

const ARN = 'arn:aws:personalize:us-east-1:123456789012';
const runtime = mockClient(PersonalizeRuntimeClient);

function sdkError(name: string, status: number) {
  return Object.assign(new Error(`${name} from the service`), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** The expressions behind the filters, as the recommend Lambda reads them from FILTER_EXPRESSIONS. */
const FILTERS = [{ name: 'category', expression: 'INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)' }];

function setup(
  options: { timeoutMs?: number; breaker?: CircuitBreaker; onlineStore?: MemoryOnlineStore } = {},
) {
  const telemetry = recordingTelemetry();
  const engine = new FakeLocalEngine();
  const primary = new PersonalizeRecommender({
    campaigns: {
      userPersonalization: `${ARN}:campaign/up`,
      similarItems: `${ARN}:campaign/sims`,
      personalizedRanking: `${ARN}:campaign/ranking`,
    },
    filters: { category: `${ARN}:filter/category` },
    maxAttempts: 1,
    timeoutMs: options.timeoutMs ?? 1000,
    jitterSeed: 3,
    runtimeClient: new PersonalizeRuntimeClient({ region: 'us-east-1' }),
    eventsClient: new PersonalizeEventsClient({ region: 'us-east-1' }),
  });
  const fallback = new FallbackRecommender({
    primary,
    local: async () => engine,
    filters: FILTERS,
    logger: telemetry.logger,
    metrics: telemetry.metrics,
    ...(options.breaker && { breaker: options.breaker }),
    ...(options.onlineStore && { onlineStore: options.onlineStore }),
  });
  return { fallback, engine, ...telemetry };
}

beforeEach(() => {
  runtime.reset();
  vi.restoreAllMocks();
});

describe('Class: FallbackRecommender', () => {
  it('answers from Personalize when it answers', async () => {
    runtime
      .on(GetRecommendationsCommand)
      .resolves({ itemList: [{ itemId: 'i1' }], recommendationId: 'RID-p' });
    const { fallback, engine, recorded } = setup();
    const result = await fallback.getRecommendations({ userId: 'u1' });
    expect(result.source).toBe('personalize');
    expect(engine.asked).toEqual([]);
    expect(recorded.filter((m) => m.name === 'Fallback')).toEqual([]);
  });

  it.each([
    ['throttling', sdkError('ThrottlingException', 400), 'throttled'],
    ['a 5xx', sdkError('InternalFailure', 500), 'unavailable'],
    ['an unknown campaign', sdkError('ResourceNotFoundException', 404), 'campaign_not_found'],
    // The function's role may not call Personalize: a deployment fault, not the caller's.
    ['access denied', sdkError('AccessDeniedException', 400), 'unavailable'],
  ])('answers %s from the local model, logged and counted', async (_case, error, reason) => {
    runtime.on(GetRecommendationsCommand).rejects(error);
    const { fallback, recorded, warnings } = setup();
    const result = await fallback.getRecommendations({ userId: 'u1' });
    expect(result).toMatchObject({ source: 'local', items: [{ itemId: 'for-u1' }] });
    expect(recorded).toContainEqual({ name: 'Fallback', value: 1, dimensions: { reason } });
    expect(warnings).toHaveBeenCalledWith('fallback', expect.objectContaining({ reason, to: 'local' }));
  });

  it('answers a timed-out call from the local model', async () => {
    runtime.on(GetRecommendationsCommand).callsFake(() => new Promise(() => undefined));
    const { fallback, recorded } = setup({ timeoutMs: 20 });
    const result = await fallback.getSimilarItems({ itemId: 'i9' });
    expect(result).toMatchObject({ source: 'local', items: [{ itemId: 'like-i9' }] });
    expect(recorded).toContainEqual({ name: 'Fallback', value: 1, dimensions: { reason: 'timeout' } });
  });

  it('does not fall back on bad input: the caller gets the error', async () => {
    runtime.on(GetPersonalizedRankingCommand).rejects(sdkError('InvalidInputException', 400));
    const { fallback, engine } = setup();
    await expect(fallback.getPersonalizedRanking({ userId: 'u1', inputList: ['a'] })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(fallback.getRecommendations({ userId: 'u1', numResults: 0 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect(engine.asked).toEqual([]);
  });

  it.each([
    ['without a filter', {}, 'filterValues', /need a filter expression that uses them.*EXTRA/],
    [
      'with keys the filter does not use',
      { filter: 'category' },
      'filterValues.EXTRA',
      /fills no placeholder of the filter expression \(placeholders: \$CATEGORY\)/,
    ],
  ])('refuses filterValues %s before asking Personalize', async (_, selection, field, message) => {
    const filterValues = { CATEGORY: '"shoes"', EXTRA: '"x"' };
    const { fallback, engine } = setup();
    const calls = [
      fallback.getRecommendations({ userId: 'u1', ...selection, filterValues }),
      fallback.getSimilarItems({ itemId: 'i1', ...selection, filterValues }),
      fallback.getPersonalizedRanking({ userId: 'u1', inputList: ['a'], ...selection, filterValues }),
    ];
    for (const call of calls) {
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      const issue = (error as InvalidInputError).issues.find((i) => i.field === field);
      expect(issue?.message).toMatch(message);
    }
    expect(runtime.calls()).toHaveLength(0);
    expect(engine.asked).toEqual([]);
  });

  it('does not fall back when the caller names an unknown filter', async () => {
    const { fallback, engine } = setup();
    await expect(fallback.getRecommendations({ userId: 'u1', filter: 'nope' })).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
    expect(engine.asked).toEqual([]);
  });

  it('stops calling Personalize while the circuit is open, and probes it after the cool-down', async () => {
    runtime.on(GetRecommendationsCommand).rejects(sdkError('InternalFailure', 503));
    const clock = { now: 0 };
    const breaker = new CircuitBreaker({
      failureThreshold: 2,
      windowMs: 1000,
      coolDownMs: 10_000,
      isFailure: fallsThrough,
      now: () => clock.now,
    });
    const { fallback, recorded } = setup({ breaker });
    for (let i = 0; i < 4; i++) {
      expect((await fallback.getRecommendations({ userId: 'u1' })).source).toBe('local');
    }
    expect(runtime.commandCalls(GetRecommendationsCommand)).toHaveLength(2);
    expect(recorded.filter((m) => m.dimensions.reason === 'circuit_open')).toHaveLength(2);

    clock.now = 10_000;
    runtime.reset();
    runtime
      .on(GetRecommendationsCommand)
      .resolves({ itemList: [{ itemId: 'i1' }], recommendationId: 'RID-p' });
    expect((await fallback.getRecommendations({ userId: 'u1' })).source).toBe('personalize');
    expect(breaker.state).toBe('closed');
  });

  it('answers from popularity, with its source, when the local model fails too', async () => {
    runtime.on(GetRecommendationsCommand).rejects(sdkError('ThrottlingException', 400));
    runtime.on(GetPersonalizedRankingCommand).rejects(sdkError('ThrottlingException', 400));
    const { fallback, engine, recorded } = setup();
    engine.broken = true;
    const recommendations = await fallback.getRecommendations({ userId: 'u1', numResults: 2 });
    expect(recommendations).toMatchObject({
      source: 'popularity',
      items: [{ itemId: 'p1' }, { itemId: 'p2' }],
    });
    const similar = await fallback.getSimilarItems({ itemId: 'p1', numResults: 2 });
    expect(similar.items.map((i) => i.itemId)).toEqual(['p2', 'p3']);
    const ranking = await fallback.getPersonalizedRanking({ userId: 'u1', inputList: ['x', 'p3', 'p1'] });
    // Without scores: popularity counts are not on the other tiers' scale.
    expect(ranking.items).toEqual([{ itemId: 'p1' }, { itemId: 'p3' }, { itemId: 'x' }]);
    for (const item of [...recommendations.items, ...similar.items]) expect(item.score).toBeUndefined();
    expect(ranking.source).toBe('popularity');
    expect(recorded).toContainEqual({ name: 'Fallback', value: 1, dimensions: { reason: 'local_failed' } });
  });

  it('does not serve unfiltered popular items for a filtered request', async () => {
    runtime.on(GetRecommendationsCommand).rejects(sdkError('ThrottlingException', 400));
    const { fallback, engine } = setup();
    engine.broken = true;
    await expect(fallback.getRecommendations({ userId: 'u1', filter: 'category' })).rejects.toThrow(
      'not trained',
    );
  });

  it('gives the local model the user’s recent events from the online store first', async () => {
    runtime.on(GetRecommendationsCommand).rejects(sdkError('ThrottlingException', 400));
    const onlineStore = new MemoryOnlineStore();
    const sentAt = new Date();
    await onlineStore.record(
      'u1',
      Array.from({ length: 12 }, (_, i) => ({
        eventId: `e${i}`,
        eventType: 'click',
        itemId: `i${i}`,
        sentAt,
      })),
    );
    const { fallback, engine } = setup({ onlineStore });
    await fallback.getRecommendations({ userId: 'u1' });
    expect(engine.events.map((r) => r.eventList.length)).toEqual([10, 2]);
    expect(engine.events[0]?.userId).toBe('u1');
    expect(engine.events[0]?.eventList[0]).toMatchObject({ eventId: 'e0', itemId: 'i0', eventType: 'click' });
  });

  it('reports a local model that cannot be loaded as unavailable', async () => {
    const telemetry = recordingTelemetry();
    const fallback = new FallbackRecommender({
      local: () => Promise.reject(new Error('no such file')),
      logger: telemetry.logger,
      metrics: telemetry.metrics,
    });
    await expect(fallback.getRecommendations({ userId: 'u1' })).rejects.toBeInstanceOf(UnavailableError);
  });

  it('serves from the local model alone when Personalize is not configured, without counting fallbacks', async () => {
    const telemetry = recordingTelemetry();
    const engine = new FakeLocalEngine();
    const fallback = new FallbackRecommender({ local: async () => engine, ...telemetry });
    expect((await fallback.getRecommendations({ userId: 'u1' })).source).toBe('local');
    await fallback.putEvents({ sessionId: 's', eventList: [{ eventType: 'click', sentAt: new Date() }] });
    expect(engine.events).toHaveLength(1);
    expect(telemetry.recorded).toEqual([]);
  });
});
