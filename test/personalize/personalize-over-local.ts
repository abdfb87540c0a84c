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
import { PersonalizeRecommender } from '../../src/personalize/index.ts';
import { DEFAULT_WIRE_CONFIG, handleWireRequest, wireArns } from '../../src/personalize-wire/index.ts';
import type { Recommender } from '../../src/recommender/types.ts';
import type { ContractFilter } from '../contract/fixture.ts';

/** The request as the SDK serialises it: Dates become epoch seconds. */
function wireJson(input: object): string {
  return JSON.stringify(input, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
}

/**
 * PersonalizeRecommender over SDK clients whose every command is answered by the local engine through the
 * project's Personalize wire emulation (same JSON, same error names and statuses), so the mocked service
 * behaves like Personalize on the contract's data rather than replaying canned answers. `throttleReads`
 * makes every read answer ThrottlingException (writes still reach the engine).
 */
export function personalizeOver(
  engine: Recommender,
  filters: readonly ContractFilter[],
  options: { readonly throttleReads?: boolean } = {},
): PersonalizeRecommender {
  const runtimeClient = new PersonalizeRuntimeClient({ region: 'us-east-1' });
  const eventsClient = new PersonalizeEventsClient({ region: 'us-east-1' });
  const answer = (path: string) => async (input: object) => {
    if (options.throttleReads && path !== '/events' && path !== '/items' && path !== '/users') {
      throw Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    }
    const reply = await handleWireRequest(engine, path, wireJson(input));
    const body = JSON.parse(reply.body) as Record<string, unknown>;
    if (reply.status === 200) return body;
    throw Object.assign(new Error(String(body.message)), {
      name: reply.headers['x-amzn-errortype'],
      $fault: reply.status >= 500 ? 'server' : 'client',
      $metadata: { httpStatusCode: reply.status },
    });
  };
  mockClient(runtimeClient)
    .on(GetRecommendationsCommand)
    .callsFake(answer('/recommendations'))
    .on(GetPersonalizedRankingCommand)
    .callsFake(answer('/personalize-ranking'));
  mockClient(eventsClient)
    .on(PutEventsCommand)
    .callsFake(answer('/events'))
    .on(PutItemsCommand)
    .callsFake(answer('/items'))
    .on(PutUsersCommand)
    .callsFake(answer('/users'));
  const arns = wireArns();
  return new PersonalizeRecommender({
    campaigns: {
      userPersonalization: arns.userPersonalizationCampaign,
      similarItems: arns.similarItemsCampaign,
      personalizedRanking: arns.personalizedRankingCampaign,
    },
    trackingId: DEFAULT_WIRE_CONFIG.trackingId,
    datasets: { items: arns.itemsDataset, users: arns.usersDataset },
    filters: Object.fromEntries(filters.map((f) => [f.name, arns.filter(f.name)])),
    runtimeClient,
    eventsClient,
  });
}
