import {
  PersonalizeEventsClient,
  PutEventsCommand,
  PutItemsCommand,
  PutUsersCommand,
} from '@aws-sdk/client-personalize-events';
import {
  GetPersonalizedRankingCommand,
  GetRecommendationsCommand,
  PersonalizeRuntimeClient,
} from '@aws-sdk/client-personalize-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  InvalidInputError,
  ResourceInUseError,
  ResourceNotFoundError,
  ThrottledError,
  UnavailableError,
} from '../../src/errors.ts';
import {
  PersonalizeRecommender,
  PersonalizeResourceNotFoundError,
  PersonalizeTimeoutError,
} from '../../src/personalize/index.ts';

const ARN = 'arn:aws:personalize:us-east-1:123456789012';
const runtime = mockClient(PersonalizeRuntimeClient);
const events = mockClient(PersonalizeEventsClient);

function recommender(overrides: { timeoutMs?: number; maxAttempts?: number } = {}) {
  return new PersonalizeRecommender({
    campaigns: {
      userPersonalization: `${ARN}:campaign/up`,
      similarItems: `${ARN}:campaign/sims`,
      personalizedRanking: `${ARN}:campaign/ranking`,
    },
    trackingId: 'tracking-1',
    datasets: { items: `${ARN}:dataset/g/ITEMS`, users: `${ARN}:dataset/g/USERS` },
    filters: { category: `${ARN}:filter/category` },
    jitterSeed: 7,
    runtimeClient: new PersonalizeRuntimeClient({ region: 'us-east-1' }),
    eventsClient: new PersonalizeEventsClient({ region: 'us-east-1' }),
    ...overrides,
  });
}

/** An error shaped as the SDK throws it: a name, a message and the HTTP status in `$metadata`. */
function sdkError(
  name: string,
  status: number,
  fault: 'client' | 'server' = status >= 500 ? 'server' : 'client',
) {
  return Object.assign(new Error(`${name} from the service`), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
  });
}

beforeEach(() => {
  runtime.reset();
  events.reset();
});
afterEach(() => {
  runtime.reset();
  events.reset();
});

describe('Class: PersonalizeRecommender', () => {
  describe('Method: getRecommendations', () => {
    it('sends the campaign, the filter ARN and metadata columns, and maps the item list', async () => {
      // Prepare
      runtime.on(GetRecommendationsCommand).resolves({
        itemList: [{ itemId: 'i1', score: 0.9, metadata: { GENRES: 'a' } }, { itemId: 'i2' }],
        recommendationId: 'RID-1',
      });
      // Act
      const result = await recommender().getRecommendations({
        userId: 'u1',
        numResults: 2,
        filter: 'category',
        filterValues: { CATEGORY: '"shoes"' },
        metadataColumns: ['GENRES'],
        context: { DEVICE: 'mobile' },
      });
      // Assess
      expect(result).toEqual({
        items: [{ itemId: 'i1', score: 0.9, metadata: { GENRES: 'a' } }, { itemId: 'i2' }],
        recommendationId: 'RID-1',
        source: 'personalize',
      });
      expect(runtime.commandCalls(GetRecommendationsCommand)[0]?.args[0].input).toEqual({
        campaignArn: `${ARN}:campaign/up`,
        userId: 'u1',
        numResults: 2,
        filterArn: `${ARN}:filter/category`,
        filterValues: { CATEGORY: '"shoes"' },
        metadataColumns: { ITEMS: ['GENRES'] },
        context: { DEVICE: 'mobile' },
      });
    });

    it('passes a filter ARN through and rejects an unknown filter name before calling', async () => {
      runtime.on(GetRecommendationsCommand).resolves({ itemList: [], recommendationId: 'RID-1' });
      await recommender().getRecommendations({ userId: 'u1', filter: `${ARN}:filter/other` });
      expect(runtime.commandCalls(GetRecommendationsCommand)[0]?.args[0].input.filterArn).toBe(
        `${ARN}:filter/other`,
      );

      const error = await recommender()
        .getRecommendations({ userId: 'u1', filter: 'nope' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PersonalizeResourceNotFoundError);
      expect(error).toMatchObject({ resource: 'filter', message: expect.stringContaining('category') });
      expect(runtime.commandCalls(GetRecommendationsCommand)).toHaveLength(1);
    });

    it('validates the request before any call, naming the field and the limit', async () => {
      const error = await recommender()
        .getRecommendations({ userId: 'u1', numResults: 501 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).issues).toEqual([
        { field: 'numResults', message: 'must be 1 to 500' },
      ]);
      expect(runtime.calls()).toHaveLength(0);
    });
  });

  describe('Method: getSimilarItems and getPersonalizedRanking', () => {
    it('call their own campaigns and map the ranking', async () => {
      runtime.on(GetRecommendationsCommand).resolves({ itemList: [{ itemId: 'i3' }] });
      runtime.on(GetPersonalizedRankingCommand).resolves({
        personalizedRanking: [{ itemId: 'b', score: 0.7 }, { itemId: 'a' }],
        recommendationId: 'RID-2',
      });
      const similar = await recommender().getSimilarItems({ itemId: 'i1', numResults: 1 });
      const ranking = await recommender().getPersonalizedRanking({ userId: 'u1', inputList: ['a', 'b'] });
      expect(runtime.commandCalls(GetRecommendationsCommand)[0]?.args[0].input).toEqual({
        campaignArn: `${ARN}:campaign/sims`,
        itemId: 'i1',
        numResults: 1,
      });
      expect(similar.items).toEqual([{ itemId: 'i3' }]);
      expect(similar.recommendationId).toMatch(/^RID-/);
      expect(ranking).toEqual({
        items: [{ itemId: 'b', score: 0.7 }, { itemId: 'a' }],
        recommendationId: 'RID-2',
        source: 'personalize',
      });
    });

    it('reports an unconfigured campaign as a missing campaign', async () => {
      const partial = new PersonalizeRecommender({
        campaigns: {},
        runtimeClient: new PersonalizeRuntimeClient({ region: 'us-east-1' }),
        eventsClient: new PersonalizeEventsClient({ region: 'us-east-1' }),
      });
      await expect(partial.getSimilarItems({ itemId: 'i1' })).rejects.toMatchObject({ resource: 'campaign' });
    });
  });

  describe('Method: putEvents, putItems, putUsers', () => {
    it('send the tracking id, properties as JSON text and sentAt as a Date', async () => {
      events.on(PutEventsCommand).resolves({});
      events.on(PutItemsCommand).resolves({});
      events.on(PutUsersCommand).resolves({});
      const sentAt = new Date(1_700_000_000_000);
      await recommender().putEvents({
        sessionId: 's1',
        userId: 'u1',
        eventList: [{ eventType: 'click', itemId: 'i1', sentAt, properties: { device: 'mobile' } }],
      });
      await recommender().putItems({ items: [{ itemId: 'i1', properties: { genres: 'a|b' } }] });
      await recommender().putUsers({ users: [{ userId: 'u1' }] });
      expect(events.commandCalls(PutEventsCommand)[0]?.args[0].input).toEqual({
        trackingId: 'tracking-1',
        sessionId: 's1',
        userId: 'u1',
        eventList: [{ eventType: 'click', itemId: 'i1', sentAt, properties: '{"device":"mobile"}' }],
      });
      expect(events.commandCalls(PutItemsCommand)[0]?.args[0].input).toEqual({
        datasetArn: `${ARN}:dataset/g/ITEMS`,
        items: [{ itemId: 'i1', properties: '{"genres":"a|b"}' }],
      });
      expect(events.commandCalls(PutUsersCommand)[0]?.args[0].input).toEqual({
        datasetArn: `${ARN}:dataset/g/USERS`,
        users: [{ userId: 'u1' }],
      });
    });
  });

  describe('Error mapping', () => {
    it.each([
      ['ThrottlingException', 400, ThrottledError],
      ['TooManyRequestsException', 400, ThrottledError],
      ['SomethingElse', 429, ThrottledError],
      ['InvalidInputException', 400, InvalidInputError],
      ['ResourceNotFoundException', 404, ResourceNotFoundError],
      ['ResourceInUseException', 409, ResourceInUseError],
      ['InternalFailure', 500, UnavailableError],
      ['ServiceUnavailable', 503, UnavailableError],
      ['AccessDeniedException', 400, AccessDeniedError],
    ])('maps %s (%i) to %o, keeping the cause', async (name, status, expected) => {
      const cause = sdkError(name, status);
      runtime.on(GetRecommendationsCommand).rejects(cause);
      const error = await recommender({ maxAttempts: 1 })
        .getRecommendations({ userId: 'u1' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(expected);
      expect((error as Error).cause).toBe(cause);
      expect((error as Error).message).toContain('GetRecommendations');
    });

    it('maps a network failure without a status to UnavailableError', async () => {
      runtime
        .on(GetRecommendationsCommand)
        .rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      await expect(recommender().getRecommendations({ userId: 'u1' })).rejects.toBeInstanceOf(
        UnavailableError,
      );
      // Without a 5xx status the failure is not retried.
      expect(runtime.commandCalls(GetRecommendationsCommand)).toHaveLength(1);
    });

    it('attributes a not-found reply to the filter when the message names it, else to the campaign', async () => {
      runtime.on(GetRecommendationsCommand).rejects(
        Object.assign(sdkError('ResourceNotFoundException', 404), {
          message: `Filter ${ARN}:filter/category not found`,
        }),
      );
      await expect(
        recommender().getRecommendations({ userId: 'u1', filter: 'category' }),
      ).rejects.toMatchObject({
        resource: 'filter',
      });
      runtime.reset();
      runtime.on(GetRecommendationsCommand).rejects(sdkError('ResourceNotFoundException', 404));
      await expect(recommender().getRecommendations({ userId: 'u1' })).rejects.toMatchObject({
        resource: 'campaign',
      });
    });
  });

  describe('Retries', () => {
    it('retries throttling and 5xx replies until one succeeds', async () => {
      runtime
        .on(GetRecommendationsCommand)
        .rejectsOnce(sdkError('ThrottlingException', 400))
        .rejectsOnce(sdkError('InternalFailure', 500))
        .resolves({ itemList: [{ itemId: 'i1' }], recommendationId: 'RID-3' });
      const result = await recommender({ maxAttempts: 3, timeoutMs: 5000 }).getRecommendations({
        userId: 'u1',
      });
      expect(result.recommendationId).toBe('RID-3');
      expect(runtime.commandCalls(GetRecommendationsCommand)).toHaveLength(3);
    });

    it('gives up after maxAttempts', async () => {
      runtime.on(GetRecommendationsCommand).rejects(sdkError('ThrottlingException', 400));
      await expect(
        recommender({ maxAttempts: 2, timeoutMs: 5000 }).getRecommendations({ userId: 'u1' }),
      ).rejects.toBeInstanceOf(ThrottledError);
      expect(runtime.commandCalls(GetRecommendationsCommand)).toHaveLength(2);
    });

    it.each([
      ['InvalidInputException', 400],
      ['ResourceNotFoundException', 404],
      ['AccessDeniedException', 400],
    ])('does not retry %s', async (name, status) => {
      runtime.on(GetRecommendationsCommand).rejects(sdkError(name, status));
      await expect(recommender({ maxAttempts: 3 }).getRecommendations({ userId: 'u1' })).rejects.toThrow();
      expect(runtime.commandCalls(GetRecommendationsCommand)).toHaveLength(1);
    });
  });

  describe('Timeout', () => {
    it('aborts a call that outlives the time budget and reports it as unavailable', async () => {
      let signal: AbortSignal | undefined;
      runtime.on(GetRecommendationsCommand).callsFake(() => new Promise(() => undefined));
      const slow = recommender({ timeoutMs: 30 });
      const original = slow.runtimeClient.send.bind(slow.runtimeClient);
      slow.runtimeClient.send = ((command: never, options: { abortSignal?: AbortSignal }) => {
        signal = options?.abortSignal;
        return original(command, options as never);
      }) as typeof slow.runtimeClient.send;
      const error = await slow.getRecommendations({ userId: 'u1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PersonalizeTimeoutError);
      expect(error).toBeInstanceOf(UnavailableError);
      expect(signal?.aborted).toBe(true);
    });
  });
});
