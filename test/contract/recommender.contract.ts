import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FieldIssue, InvalidInputError, ResourceNotFoundError } from '../../src/errors.ts';
import type {
  EngineSource,
  GetRecommendationsRequest,
  InteractionEvent,
  Recommendations,
  Recommender,
} from '../../src/recommender/index.ts';
import { CONTRACT_FILTERS, type ContractFixture, createContractFixture } from './fixture.ts';

const SOURCES: readonly EngineSource[] = ['personalize', 'local', 'popularity'];
const UNKNOWN_USER = 'contract-unknown-user';

/** Awaits a call that must fail with InvalidInputError, and returns its field issues. */
async function invalidIssues(call: Promise<unknown>): Promise<readonly FieldIssue[]> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return (error as InvalidInputError).issues;
}

const invalidFields = async (call: Promise<unknown>): Promise<string[]> =>
  (await invalidIssues(call)).map((i) => i.field);

/** The message of the issue naming `field` (which must exist). */
async function invalidIssue(call: Promise<unknown>, field: string): Promise<string> {
  const issues = await invalidIssues(call);
  const issue = issues.find((i) => i.field === field);
  expect(issue, `an issue naming ${field} in ${JSON.stringify(issues)}`).toBeDefined();
  return issue!.message;
}

const ids = (answer: Recommendations): string[] => answer.items.map((i) => i.itemId);

function event(overrides: Partial<InteractionEvent> = {}): InteractionEvent {
  return { eventType: 'view', sentAt: new Date(), ...overrides };
}

/**
 * The cases every Recommender must pass, written once (after implicit's `RecommenderBaseTestMixin`).
 * `factory` builds the implementation from the fixture's dataset (`fixture.files`) and must make every
 * filter of `fixture.filters` available by name. The cases follow Personalize's behaviour
 * (personalize-reference.md §1.2, §1.3, §2, §9).
 *
 * @example
 * describeRecommenderContract('LocalRecommender', async (fixture) =>
 *   LocalRecommender.fromModel(trainHybrid(await loadDataset(fixture.files)), { filters: fixture.filters }),
 * );
 */
export function describeRecommenderContract(
  name: string,
  factory: (fixture: ContractFixture) => Promise<Recommender>,
): void {
  describe(`Recommender contract: ${name}`, () => {
    let fixture: ContractFixture & { remove(): void };
    let recommender: Recommender;
    let catalogue: Set<string>;

    beforeAll(async () => {
      fixture = await createContractFixture();
      recommender = await factory(fixture);
      catalogue = new Set(fixture.itemIds);
    });
    afterAll(() => fixture?.remove());

    /** Shape rules shared by every read answer. */
    function expectWellFormed(answer: Recommendations, known: ReadonlySet<string> = catalogue): void {
      const list = ids(answer);
      expect(new Set(list).size, 'item ids are unique').toBe(list.length);
      for (const id of list) {
        expect(typeof id).toBe('string');
        expect(known.has(id), `${id} is a catalogue item`).toBe(true);
      }
      const scores = answer.items.flatMap((i) => (i.score === undefined ? [] : [i.score]));
      for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeLessThanOrEqual(scores[i - 1]!);
      expect(answer.recommendationId.length).toBeGreaterThanOrEqual(1);
      expect(answer.recommendationId.length).toBeLessThanOrEqual(40);
      expect(SOURCES).toContain(answer.source);
    }

    describe('Method: getRecommendations', () => {
      it('returns unique catalogue items for a known user, scores descending', async () => {
        const answer = await recommender.getRecommendations({ userId: fixture.knownUserId });
        expect(answer.items.length).toBeGreaterThan(0);
        expectWellFormed(answer);
      });

      it('returns 25 items by default and exactly numResults when given', async () => {
        const byDefault = await recommender.getRecommendations({ userId: fixture.knownUserId });
        const five = await recommender.getRecommendations({ userId: fixture.knownUserId, numResults: 5 });
        expect(byDefault.items).toHaveLength(Math.min(25, fixture.itemIds.length));
        expect(five.items).toHaveLength(5);
      });

      it('fails with InvalidInputError naming numResults outside 1..500 or not an integer', async () => {
        for (const numResults of [0, 501, 2.5]) {
          const message = await invalidIssue(
            recommender.getRecommendations({ userId: fixture.knownUserId, numResults }),
            'numResults',
          );
          expect(message).toMatch(/500|integer/);
        }
      });

      it('fails naming numResults above 50 when metadataColumns is set', async () => {
        const message = await invalidIssue(
          recommender.getRecommendations({
            userId: fixture.knownUserId,
            numResults: 51,
            metadataColumns: ['CATEGORY'],
          }),
          'numResults',
        );
        expect(message).toContain('50');
      });

      it('fails naming userId when it is longer than 256 characters', async () => {
        const message = await invalidIssue(
          recommender.getRecommendations({ userId: 'u'.repeat(257) }),
          'userId',
        );
        expect(message).toContain('256');
      });

      it('rejects unknown request fields instead of ignoring them', async () => {
        const request = { userId: fixture.knownUserId, numberOfResults: 3 } as GetRecommendationsRequest;
        expect(await invalidIssue(recommender.getRecommendations(request), '(request)')).toContain(
          'numberOfResults',
        );
      });

      it('answers an unknown (cold) user with items rather than an error', async () => {
        const answer = await recommender.getRecommendations({ userId: UNKNOWN_USER });
        expect(answer.items.length).toBeGreaterThan(0);
        expectWellFormed(answer);
      });

      it('gives the same items for the same request when no event came in between', async () => {
        const request = { userId: fixture.knownUserId, numResults: 10 };
        const first = await recommender.getRecommendations(request);
        const second = await recommender.getRecommendations(request);
        expect(ids(second)).toEqual(ids(first));
      });

      it('applies a filter by name: by-category keeps only items of the category', async () => {
        const category = fixture.categoryOf.get(fixture.knownItemId)!;
        const answer = await recommender.getRecommendations({
          userId: fixture.knownUserId,
          numResults: 50,
          filter: CONTRACT_FILTERS.byCategory.name,
          filterValues: { CATEGORY: `"${category}"` },
        });
        expect(answer.items.length).toBeGreaterThan(0);
        expectWellFormed(answer);
        for (const id of ids(answer)) expect(fixture.categoryOf.get(id)).toBe(category);
      });

      it('applies a filter by name: exclude-purchased drops every item the user bought', async () => {
        const purchased = fixture.purchasesOf.get(fixture.knownUserId)!;
        const answer = await recommender.getRecommendations({
          userId: fixture.knownUserId,
          numResults: 500,
          filter: CONTRACT_FILTERS.excludePurchased.name,
        });
        expect(answer.items.length).toBeGreaterThan(0);
        expect(ids(answer).filter((id) => purchased.has(id))).toEqual([]);
      });

      it('fails with InvalidInputError when an INCLUDE filter gets no value for its placeholder', async () => {
        await expect(
          recommender.getRecommendations({
            userId: fixture.knownUserId,
            filter: CONTRACT_FILTERS.byCategory.name,
          }),
        ).rejects.toBeInstanceOf(InvalidInputError);
      });

      it('fails with ResourceNotFoundError for an unknown filter name', async () => {
        await expect(
          recommender.getRecommendations({ userId: fixture.knownUserId, filter: 'no-such-filter' }),
        ).rejects.toBeInstanceOf(ResourceNotFoundError);
      });
    });

    describe('Method: getSimilarItems', () => {
      it('returns catalogue items similar to a known item, never the item itself', async () => {
        const answer = await recommender.getSimilarItems({ itemId: fixture.knownItemId });
        expect(answer.items.length).toBeGreaterThan(0);
        expectWellFormed(answer);
        expect(ids(answer)).not.toContain(fixture.knownItemId);
      });

      it('returns exactly numResults items', async () => {
        const answer = await recommender.getSimilarItems({ itemId: fixture.knownItemId, numResults: 5 });
        expect(answer.items).toHaveLength(5);
      });

      it('still answers for an item without interactions', async () => {
        const answer = await recommender.getSimilarItems({ itemId: fixture.coldItemId });
        expect(answer.items.length).toBeGreaterThan(0);
        expectWellFormed(answer);
        expect(ids(answer)).not.toContain(fixture.coldItemId);
      });

      it('applies a filter by name', async () => {
        const category = fixture.categoryOf.get(fixture.knownItemId)!;
        const answer = await recommender.getSimilarItems({
          itemId: fixture.knownItemId,
          filter: CONTRACT_FILTERS.byCategory.name,
          filterValues: { CATEGORY: `"${category}"` },
        });
        expect(answer.items.length).toBeGreaterThan(0);
        for (const id of ids(answer)) expect(fixture.categoryOf.get(id)).toBe(category);
      });

      it('fails naming itemId when it is longer than 256 characters', async () => {
        expect(await invalidFields(recommender.getSimilarItems({ itemId: 'i'.repeat(257) }))).toContain(
          'itemId',
        );
      });
    });

    describe('Method: getPersonalizedRanking', () => {
      it('returns the input list reordered: the same unique items', async () => {
        const inputList = fixture.itemIds.slice(0, 20);
        const answer = await recommender.getPersonalizedRanking({ userId: fixture.knownUserId, inputList });
        expectWellFormed(answer);
        expect([...ids(answer)].sort()).toEqual([...inputList].sort());
      });

      it('puts ids the model does not know last, without score', async () => {
        const unknown = ['contract-unknown-item-1', 'contract-unknown-item-2'];
        const known = fixture.warmItemIds.slice(0, 6);
        const inputList = [unknown[0]!, ...known.slice(0, 3), unknown[1]!, ...known.slice(3)];
        const answer = await recommender.getPersonalizedRanking({ userId: fixture.knownUserId, inputList });
        expectWellFormed(answer, new Set([...catalogue, ...unknown]));
        const tail = answer.items.slice(known.length);
        expect(tail.map((i) => i.itemId).sort()).toEqual(unknown);
        for (const item of tail) expect(item.score).toBeUndefined();
        expect(
          answer.items
            .slice(0, known.length)
            .map((i) => i.itemId)
            .sort(),
        ).toEqual([...known].sort());
      });

      it('drops the items a filter excludes', async () => {
        const purchased = fixture.purchasesOf.get(fixture.knownUserId)!;
        const inputList = fixture.warmItemIds.slice(0, 40);
        const answer = await recommender.getPersonalizedRanking({
          userId: fixture.knownUserId,
          inputList,
          filter: CONTRACT_FILTERS.excludePurchased.name,
        });
        expect(inputList.some((id) => purchased.has(id))).toBe(true);
        expect([...ids(answer)].sort()).toEqual(inputList.filter((id) => !purchased.has(id)).sort());
      });

      it('fails naming inputList when it holds more than 500 ids', async () => {
        const inputList = Array.from({ length: 501 }, (_, i) => `i${i}`);
        const message = await invalidIssue(
          recommender.getPersonalizedRanking({ userId: fixture.knownUserId, inputList }),
          'inputList',
        );
        expect(message).toContain('500');
      });
    });

    describe('Method: putEvents', () => {
      it('accepts valid events', async () => {
        await expect(
          recommender.putEvents({
            sessionId: 'contract-session-1',
            userId: fixture.knownUserId,
            eventList: [
              event({ itemId: fixture.knownItemId, eventId: 'contract-event-1' }),
              event({ eventType: 'click', itemId: fixture.knownItemId, properties: { device: 'mobile' } }),
            ],
          }),
        ).resolves.toBeUndefined();
      });

      it('accepts anonymous session events and events on items it does not know', async () => {
        await expect(
          recommender.putEvents({
            sessionId: 'contract-anonymous-session',
            eventList: [event({ itemId: fixture.knownItemId }), event({ itemId: 'contract-unseen-item' })],
          }),
        ).resolves.toBeUndefined();
      });

      it('fails naming eventList when it holds 11 events', async () => {
        const eventList = Array.from({ length: 11 }, () => event({ itemId: fixture.knownItemId }));
        const message = await invalidIssue(recommender.putEvents({ sessionId: 's', eventList }), 'eventList');
        expect(message).toContain('10');
      });

      it('fails naming sentAt when the time is milliseconds read as seconds', async () => {
        const sentAt = new Date(Date.now() * 1000);
        const fields = await invalidFields(
          recommender.putEvents({
            sessionId: 's',
            eventList: [event({ itemId: fixture.knownItemId, sentAt })],
          }),
        );
        expect(fields).toContain('eventList.0.sentAt');
      });

      it('takes effect at once: a purchase is excluded by exclude-purchased in the next answer', async () => {
        const userId = 'contract-live-user';
        const request = { userId, numResults: 500 };
        const before = await recommender.getRecommendations(request);
        expect(ids(before)).toContain(fixture.knownItemId);

        await recommender.putEvents({
          sessionId: 'contract-session-2',
          userId,
          eventList: [event({ eventType: 'purchase', itemId: fixture.knownItemId, eventValue: 10 })],
        });
        const after = await recommender.getRecommendations({
          ...request,
          filter: CONTRACT_FILTERS.excludePurchased.name,
        });
        expect(after.items.length).toBeGreaterThan(0);
        expect(ids(after)).not.toContain(fixture.knownItemId);
      });
    });

    describe('Methods: putItems and putUsers', () => {
      const newItem = {
        itemId: 'contract-new-item',
        properties: {
          category: 'books',
          tags: 'fiction|mystery',
          price: 12.5,
          description: 'a mystery novel',
        },
      };

      it('accepts the same item upsert twice (idempotent)', async () => {
        await expect(recommender.putItems({ items: [newItem] })).resolves.toBeUndefined();
        await expect(recommender.putItems({ items: [newItem] })).resolves.toBeUndefined();
      });

      it('ranks an item added with putItems', async () => {
        await recommender.putItems({ items: [newItem] });
        const inputList = [newItem.itemId, ...fixture.itemIds.slice(0, 4)];
        const answer = await recommender.getPersonalizedRanking({ userId: fixture.knownUserId, inputList });
        expect(ids(answer)).toContain(newItem.itemId);
        expect([...ids(answer)].sort()).toEqual([...inputList].sort());
      });

      it('accepts the same user upsert twice (idempotent)', async () => {
        const user = { userId: 'contract-new-user', properties: { membership: 'gold', region: 'north' } };
        await expect(recommender.putUsers({ users: [user] })).resolves.toBeUndefined();
        await expect(recommender.putUsers({ users: [user] })).resolves.toBeUndefined();
      });

      it('fails naming items or users when a call holds 11 records', async () => {
        const items = Array.from({ length: 11 }, (_, i) => ({ itemId: `contract-bulk-${i}` }));
        const users = Array.from({ length: 11 }, (_, i) => ({ userId: `contract-bulk-${i}` }));
        expect(await invalidIssue(recommender.putItems({ items }), 'items')).toContain('10');
        expect(await invalidIssue(recommender.putUsers({ users }), 'users')).toContain('10');
      });
    });
  });
}
