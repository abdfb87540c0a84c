import {
  PersonalizeEventsClient,
  PutEventsCommand,
  PutItemsCommand,
  PutUsersCommand,
} from '@aws-sdk/client-personalize-events';
import {
  GetPersonalizedRankingCommand,
  GetRecommendationsCommand,
  type GetRecommendationsCommandOutput,
  PersonalizeRuntimeClient,
} from '@aws-sdk/client-personalize-runtime';
import { isRetryable, toAwsToolkitError } from '../aws/aws-errors.ts';
import { withRetries } from '../core/retry.ts';
import { seededRandom } from '../core/seeded-random.ts';
import { newRecommendationId } from '../recommender/recommendation-id.ts';
import {
  validateGetPersonalizedRanking,
  validateGetRecommendations,
  validateGetSimilarItems,
  validatePutEvents,
  validatePutItems,
  validatePutUsers,
} from '../recommender/request-validation.ts';
import type {
  FilterSelection,
  GetPersonalizedRankingRequest,
  GetRecommendationsRequest,
  GetSimilarItemsRequest,
  PutEventsRequest,
  PutItemsRequest,
  PutUsersRequest,
  Recommendations,
  Recommender,
} from '../recommender/types.ts';
import {
  PERSONALIZE_DEFAULTS,
  type PersonalizeRecommenderOptions,
  type PersonalizeResources,
} from './config.ts';
import {
  type CallTarget,
  PersonalizeResourceNotFoundError,
  PersonalizeTimeoutError,
  personalizeCallContext,
} from './errors.ts';
import { predictedItems, putEventsInput, putItemsInput, putUsersInput, readInput } from './wire.ts';

const BACKOFF = { baseDelayMs: 25, maxDelayMs: 400 } as const;

/**
 * The Recommender contract over Amazon Personalize campaigns, an event tracker and the Items/Users datasets.
 * Every request is validated first; SDK errors become the toolkit's typed errors; throttling and 5xx replies are
 * retried with full jitter inside one time budget, each attempt aborted when the budget runs out.
 *
 * @example
 * const recommender = new PersonalizeRecommender({
 *   campaigns: { userPersonalization: upArn, similarItems: simsArn, personalizedRanking: rankingArn },
 *   trackingId, datasets: { items: itemsArn, users: usersArn }, filters: { category: filterArn },
 *   clientConfig: { region: 'eu-west-1' },
 * });
 * const { items } = await recommender.getRecommendations({ userId: 'u1', numResults: 10 });
 */
export class PersonalizeRecommender implements Recommender {
  readonly runtimeClient: PersonalizeRuntimeClient;
  readonly eventsClient: PersonalizeEventsClient;
  private readonly resources: PersonalizeResources;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly random: () => number;

  constructor(options: PersonalizeRecommenderOptions) {
    this.resources = options;
    this.timeoutMs = options.timeoutMs ?? PERSONALIZE_DEFAULTS.timeoutMs;
    this.maxAttempts = options.maxAttempts ?? PERSONALIZE_DEFAULTS.maxAttempts;
    this.random = seededRandom(options.jitterSeed);
    if (options.runtimeClient) {
      this.runtimeClient = options.runtimeClient;
      this.eventsClient = options.eventsClient;
    } else {
      const config = { ...options.clientConfig, maxAttempts: 1 };
      this.runtimeClient = new PersonalizeRuntimeClient(config);
      this.eventsClient = new PersonalizeEventsClient(config);
    }
  }

  async getRecommendations(request: GetRecommendationsRequest): Promise<Recommendations> {
    const valid = validateGetRecommendations(request);
    return this.sendGetRecommendations('userPersonalization', valid, { userId: valid.userId });
  }

  async getSimilarItems(request: GetSimilarItemsRequest): Promise<Recommendations> {
    const valid = validateGetSimilarItems(request);
    return this.sendGetRecommendations('similarItems', valid, {
      itemId: valid.itemId,
      ...(valid.userId !== undefined && { userId: valid.userId }),
    });
  }

  /** GetRecommendations serves both User-Personalization (by user) and SIMS (by item) campaigns. */
  private async sendGetRecommendations(
    recipe: 'userPersonalization' | 'similarItems',
    valid: GetRecommendationsRequest | GetSimilarItemsRequest,
    subject: { readonly userId?: string; readonly itemId?: string },
  ): Promise<Recommendations> {
    const campaignArn = this.campaign(recipe);
    const filterArn = this.filterArn(valid);
    const output = await this.call(
      { operation: 'GetRecommendations', resource: 'campaign', ...(filterArn && { filterArn }) },
      (abortSignal) =>
        this.runtimeClient.send(
          new GetRecommendationsCommand({
            campaignArn,
            ...subject,
            ...(valid.numResults !== undefined && { numResults: valid.numResults }),
            ...readInput(valid, filterArn),
          }),
          { abortSignal },
        ),
    );
    return this.recommendations(output);
  }

  async getPersonalizedRanking(request: GetPersonalizedRankingRequest): Promise<Recommendations> {
    const valid = validateGetPersonalizedRanking(request);
    const campaignArn = this.campaign('personalizedRanking');
    const filterArn = this.filterArn(valid);
    const output = await this.call(
      { operation: 'GetPersonalizedRanking', resource: 'campaign', ...(filterArn && { filterArn }) },
      (abortSignal) =>
        this.runtimeClient.send(
          new GetPersonalizedRankingCommand({
            campaignArn,
            userId: valid.userId,
            inputList: [...valid.inputList],
            ...readInput(valid, filterArn),
          }),
          { abortSignal },
        ),
    );
    return {
      items: predictedItems(output.personalizedRanking),
      recommendationId: output.recommendationId ?? newRecommendationId(),
      source: 'personalize',
    };
  }

  async putEvents(request: PutEventsRequest): Promise<void> {
    const input = putEventsInput(
      this.configured('trackingId', this.resources.trackingId),
      validatePutEvents(request),
    );
    await this.call({ operation: 'PutEvents', resource: 'tracker' }, (abortSignal) =>
      this.eventsClient.send(new PutEventsCommand(input), { abortSignal }),
    );
  }

  async putItems(request: PutItemsRequest): Promise<void> {
    const input = putItemsInput(
      this.configured('items dataset', this.resources.datasets?.items),
      validatePutItems(request),
    );
    await this.call({ operation: 'PutItems', resource: 'dataset' }, (abortSignal) =>
      this.eventsClient.send(new PutItemsCommand(input), { abortSignal }),
    );
  }

  async putUsers(request: PutUsersRequest): Promise<void> {
    const input = putUsersInput(
      this.configured('users dataset', this.resources.datasets?.users),
      validatePutUsers(request),
    );
    await this.call({ operation: 'PutUsers', resource: 'dataset' }, (abortSignal) =>
      this.eventsClient.send(new PutUsersCommand(input), { abortSignal }),
    );
  }

  private recommendations(output: GetRecommendationsCommandOutput): Recommendations {
    return {
      items: predictedItems(output.itemList),
      recommendationId: output.recommendationId ?? newRecommendationId(),
      source: 'personalize',
    };
  }

  private campaign(recipe: 'userPersonalization' | 'similarItems' | 'personalizedRanking'): string {
    const arn = this.resources.campaigns?.[recipe];
    if (arn === undefined) {
      throw new PersonalizeResourceNotFoundError('campaign', `no ${recipe} campaign is configured`);
    }
    return arn;
  }

  private configured(
    what: 'trackingId' | 'items dataset' | 'users dataset',
    value: string | undefined,
  ): string {
    if (value === undefined) {
      throw new PersonalizeResourceNotFoundError(
        what === 'trackingId' ? 'tracker' : 'dataset',
        `no ${what} is configured`,
      );
    }
    return value;
  }

  /** A configured filter name becomes its ARN; an ARN passes through; anything else is unknown. */
  private filterArn(selection: FilterSelection): string | undefined {
    const { filter } = selection;
    if (filter === undefined) return undefined;
    if (filter.startsWith('arn:')) return filter;
    const arn = this.resources.filters?.[filter];
    if (arn === undefined) {
      const known = Object.keys(this.resources.filters ?? {});
      throw new PersonalizeResourceNotFoundError(
        'filter',
        `filter "${filter}" is not configured (known: ${known.length > 0 ? known.join(', ') : 'none'})`,
      );
    }
    return arn;
  }

  /** One SDK call under the time budget: every attempt is aborted at the deadline, errors are typed. */
  private call<T>(target: CallTarget, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    return withRetries(
      async () => {
        try {
          return await this.attempt(send, deadline);
        } catch (error) {
          throw toAwsToolkitError(error, personalizeCallContext(target));
        }
      },
      { maxAttempts: this.maxAttempts, deadline, isRetryable, random: this.random, ...BACKOFF },
    );
  }

  private async attempt<T>(send: (abortSignal: AbortSignal) => Promise<T>, deadline: number): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // Racing the abort ourselves bounds the wait even for a request handler that ignores the signal.
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          controller.abort();
          reject(new PersonalizeTimeoutError(this.timeoutMs));
        },
        Math.max(0, deadline - Date.now()),
      );
    });
    try {
      return await Promise.race([send(controller.signal), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
