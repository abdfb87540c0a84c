import { describe, expect, it } from 'vitest';
import { InvalidInputError, ResourceNotFoundError } from '../../../src/errors.ts';
import { trainHybrid } from '../../../src/local/model/train.ts';
import { LocalRecommender, type LocalRecommenderOptions } from '../../../src/local/recommender/index.ts';
import { BOOKS, GAMES, shopDataset, T0 } from './world.ts';

const FILTERS = [
  { name: 'by-category', expression: 'INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)' },
  { name: 'unseen', expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")' },
  {
    name: 'gold-books',
    expression: 'INCLUDE ItemID WHERE Items.CATEGORY IN ("books") IF CurrentUser.MEMBERSHIP IN ("gold")',
  },
];

function recommender(options: LocalRecommenderOptions = {}): LocalRecommender {
  return LocalRecommender.fromModel(trainHybrid(shopDataset()), { filters: FILTERS, ...options });
}

const ids = (answer: { items: readonly { itemId: string }[] }) => answer.items.map((i) => i.itemId);
const at = (offset: number) => new Date((T0 + 10_000 + offset) * 1000);
const views = (...items: string[]) =>
  items.map((itemId, i) => ({ eventType: 'view', itemId, sentAt: at(i), eventId: `${itemId}-${i}` }));

describe('Class: LocalRecommender', () => {
  describe('Method: getRecommendations', () => {
    it('returns at most numResults unique items sorted by score, with a recommendation id', async () => {
      // Act
      const answer = await recommender().getRecommendations({ userId: 'u0', numResults: 5 });
      // Assess
      expect(answer.items).toHaveLength(5);
      expect(new Set(ids(answer)).size).toBe(5);
      const scores = answer.items.map((i) => i.score!);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(answer.recommendationId).toMatch(/^RID-/);
      expect(answer.recommendationId.length).toBeLessThanOrEqual(40);
      expect(answer.source).toBe('local');
    });

    it('defaults to 25 items and labels answers with the configured source', async () => {
      const answer = await recommender({ source: 'popularity' }).getRecommendations({ userId: 'u1' });
      expect(answer.items).toHaveLength(20);
      expect(answer.source).toBe('popularity');
    });

    it('answers an unknown user with popular items', async () => {
      const answer = await recommender().getRecommendations({ userId: 'stranger', numResults: 3 });
      expect(answer.items).toHaveLength(3);
    });

    it('validates the request first', async () => {
      await expect(recommender().getRecommendations({ userId: 'u0', numResults: 0 })).rejects.toThrow(
        /numResults: must be 1 to 500/,
      );
      await expect(recommender().getRecommendations({ userId: '' })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
    });

    it('returns metadata columns as strings', async () => {
      const answer = await recommender().getRecommendations({
        userId: 'u0',
        numResults: 2,
        metadataColumns: ['CATEGORY', 'price'],
      });
      for (const item of answer.items) {
        const book = BOOKS.indexOf(item.itemId);
        expect(item.metadata).toEqual({ CATEGORY: 'books', price: String(5 + book) });
      }
      await expect(
        recommender().getRecommendations({ userId: 'u0', metadataColumns: ['COLOR'] }),
      ).rejects.toThrow(/metadataColumns.0: "COLOR" is not a column of the Items dataset/);
    });
  });

  describe('Method: putEvents', () => {
    it('changes the next answer at once', async () => {
      // Prepare
      const engine = recommender();
      const before = await engine.getRecommendations({ userId: 'u0', numResults: 5 });
      expect(ids(before).every((id) => BOOKS.includes(id))).toBe(true);
      // Act
      await engine.putEvents({
        sessionId: 's1',
        userId: 'u0',
        eventList: views('g1', 'g2', 'g3', 'g4', 'g5', 'g6'),
      });
      // Assess
      const after = await engine.getRecommendations({ userId: 'u0', numResults: 5 });
      expect(ids(after)).not.toEqual(ids(before));
      expect(ids(after).some((id) => GAMES.includes(id))).toBe(true);
    });

    it('serves an anonymous session by its session id', async () => {
      const engine = recommender();
      await engine.putEvents({ sessionId: 'anon-1', eventList: views('g1', 'g4') });
      const answer = await engine.getRecommendations({ userId: 'anon-1', numResults: 3 });
      expect(ids(answer).every((id) => GAMES.includes(id))).toBe(true);
    });

    it('joins a session first seen anonymous to the user it is later sent with', async () => {
      // Prepare
      const engine = recommender();
      await engine.putEvents({ sessionId: 'shared', eventList: views('g1', 'g2') });
      // Act
      await engine.putEvents({ sessionId: 'shared', userId: 'newcomer', eventList: views('g3') });
      // Assess: the user's history now holds all three games
      const answer = await engine.getRecommendations({
        userId: 'newcomer',
        filter: 'unseen',
        numResults: 20,
      });
      expect(ids(answer)).not.toContain('g1');
      expect(ids(answer)).not.toContain('g2');
      expect(ids(answer)).not.toContain('g3');
      expect(answer.items).toHaveLength(17);
    });

    it('stores a repeated eventId once', async () => {
      const engine = recommender();
      await engine.putEvents({
        sessionId: 's',
        userId: 'newcomer',
        eventList: [{ eventId: 'e1', eventType: 'view', itemId: 'g1', sentAt: at(0) }],
      });
      await engine.putEvents({
        sessionId: 's',
        userId: 'newcomer',
        eventList: [{ eventId: 'e1', eventType: 'view', itemId: 'g2', sentAt: at(1) }],
      });
      const answer = await engine.getRecommendations({
        userId: 'newcomer',
        filter: 'unseen',
        numResults: 20,
      });
      expect(ids(answer)).not.toContain('g1');
      expect(ids(answer)).toContain('g2');
    });

    it('accepts events for unknown items; they count once the item exists', async () => {
      const engine = recommender();
      await engine.putEvents({ sessionId: 's', userId: 'newcomer', eventList: views('future') });
      await engine.putItems({ items: [{ itemId: 'future', properties: { category: 'games', price: 1 } }] });
      const answer = await engine.getRecommendations({
        userId: 'newcomer',
        filter: 'unseen',
        numResults: 25,
      });
      expect(ids(answer)).not.toContain('future');
      expect(answer.items).toHaveLength(20);
    });
  });

  describe('Filters', () => {
    it('applies a filter by name or ARN before truncation, with placeholder values', async () => {
      const engine = recommender();
      const byName = await engine.getRecommendations({
        userId: 'u0',
        numResults: 5,
        filter: 'by-category',
        filterValues: { CATEGORY: '"games"' },
      });
      expect(ids(byName)).toHaveLength(5);
      expect(ids(byName).every((id) => GAMES.includes(id))).toBe(true);
      const byArn = await engine.getRecommendations({
        userId: 'u0',
        numResults: 5,
        filter: 'arn:aws:personalize:eu-west-1:123456789012:filter/by-category',
        filterValues: { CATEGORY: '"games"' },
      });
      expect(ids(byArn)).toEqual(ids(byName));
    });

    it('fails for an unknown filter and for a missing INCLUDE placeholder', async () => {
      const engine = recommender();
      await expect(engine.getRecommendations({ userId: 'u0', filter: 'nope' })).rejects.toBeInstanceOf(
        ResourceNotFoundError,
      );
      await expect(engine.getRecommendations({ userId: 'u0', filter: 'by-category' })).rejects.toThrow(
        /filterValues.CATEGORY: is required/,
      );
    });

    it('excludes what the user interacted with, training history included', async () => {
      const answer = await recommender().getRecommendations({
        userId: 'u0',
        filter: 'unseen',
        numResults: 25,
      });
      for (const seen of ['b0', 'b3', 'b6', 'b9', 'b2', 'b5']) expect(ids(answer)).not.toContain(seen);
    });

    it('evaluates IF CurrentUser against attributes updated by putUsers', async () => {
      const engine = recommender();
      const basic = await engine.getRecommendations({ userId: 'u1', filter: 'gold-books', numResults: 25 });
      expect(basic.items).toHaveLength(20);
      await engine.putUsers({ users: [{ userId: 'u1', properties: { membership: 'gold' } }] });
      const gold = await engine.getRecommendations({ userId: 'u1', filter: 'gold-books', numResults: 25 });
      expect(ids(gold).sort()).toEqual([...BOOKS].sort());
    });

    it('adds filters with createFilter and rejects unsupported ones at creation', () => {
      const engine = recommender();
      engine.createFilter('cheap', 'INCLUDE ItemID WHERE Items.PRICE < 10');
      expect(engine.filterNames).toContain('cheap');
      expect(() => engine.createFilter('cheap', 'INCLUDE ItemID WHERE Items.PRICE < 10')).toThrow(
        /already exists/,
      );
      expect(() => engine.createFilter('text', 'INCLUDE ItemID WHERE Items.DESCRIPTION IN ("x")')).toThrow(
        /textual fields are not filterable/,
      );
      expect(() => engine.createFilter('bad name!', 'INCLUDE ItemID WHERE Items.PRICE < 10')).toThrow(
        /name: must be/,
      );
    });
  });

  describe('No-repeat mode', () => {
    it('does not recommend the same items to a user again within the window', async () => {
      const engine = recommender({ noRepeat: { enabled: true, windowSize: 50 } });
      const first = await engine.getRecommendations({ userId: 'u0', numResults: 5 });
      const second = await engine.getRecommendations({ userId: 'u0', numResults: 5 });
      expect(ids(second).filter((id) => ids(first).includes(id))).toEqual([]);
      const other = await engine.getRecommendations({ userId: 'u2', numResults: 5 });
      expect(other.items).toHaveLength(5);
    });
  });

  it('fails at construction for sizes that are not positive integers, naming each option', () => {
    expect(() => recommender({ noRepeat: { enabled: true, windowSize: 0 }, maxTrackedUsers: 1.5 })).toThrow(
      /noRepeat.windowSize: must be a positive integer \(got 0\); maxTrackedUsers: must be a positive integer/,
    );
  });

  describe('Method: getSimilarItems', () => {
    it('never returns the query item', async () => {
      const answer = await recommender().getSimilarItems({ itemId: 'b0', numResults: 5 });
      expect(ids(answer)).not.toContain('b0');
      expect(ids(answer).every((id) => BOOKS.includes(id))).toBe(true);
    });

    it('answers an unknown item with popular items', async () => {
      const answer = await recommender().getSimilarItems({ itemId: 'missing', numResults: 4 });
      expect(answer.items).toHaveLength(4);
    });

    it('reaches an item added by putItems through content similarity', async () => {
      const engine = recommender();
      await engine.putItems({ items: [{ itemId: 'g-new', properties: { category: 'games', price: 30 } }] });
      const answer = await engine.getSimilarItems({
        itemId: 'g-new',
        numResults: 5,
        metadataColumns: ['CATEGORY'],
      });
      expect(answer.items.map((i) => i.metadata?.['CATEGORY'])).toEqual(Array(5).fill('games'));
    });
  });

  describe('Method: putItems', () => {
    it('rejects unknown columns and values of the wrong type, changing nothing', async () => {
      const engine = recommender();
      await expect(
        engine.putItems({ items: [{ itemId: 'x', properties: { color: 'red' } }] }),
      ).rejects.toThrow(/items.0.properties.color: is not a column/);
      await expect(
        engine.putItems({ items: [{ itemId: 'x', properties: { price: 'cheap' } }] }),
      ).rejects.toThrow(/items.0.properties.price: must be a number/);
      const ranking = await engine.getPersonalizedRanking({ userId: 'u0', inputList: ['x'] });
      expect(ranking.items).toEqual([{ itemId: 'x' }]);
    });
  });

  describe('Method: getPersonalizedRanking', () => {
    it('orders the inputs by score, removes duplicates and appends unknown ids without score', async () => {
      const engine = recommender();
      await engine.putItems({ items: [{ itemId: 'b-new', properties: { category: 'books', price: 3 } }] });
      const answer = await engine.getPersonalizedRanking({
        userId: 'u0',
        inputList: ['g1', 'ghost', 'b0', 'b-new', 'g1'],
      });
      expect(ids(answer)).toEqual(['b0', 'b-new', 'g1', 'ghost']);
      expect(answer.items[3]).toEqual({ itemId: 'ghost' });
      expect(answer.items[1]!.score).toBeGreaterThan(answer.items[2]!.score!);
    });

    it('drops items the filter removes', async () => {
      const answer = await recommender().getPersonalizedRanking({
        userId: 'u0',
        inputList: ['g1', 'b0', 'b1'],
        filter: 'by-category',
        filterValues: { CATEGORY: '"books"' },
      });
      expect(ids(answer).sort()).toEqual(['b0', 'b1']);
    });
  });

  describe('Method: getPopular', () => {
    it('returns popular items, optionally of one category', async () => {
      const engine = recommender();
      expect((await engine.getPopular()).items).toHaveLength(20);
      const games = await engine.getPopular({ numResults: 3, category: 'games' });
      expect(ids(games)).toHaveLength(3);
      expect(ids(games).every((id) => GAMES.includes(id))).toBe(true);
      await expect(engine.getPopular({ numResults: 501 })).rejects.toThrow(/numResults: must be 1 to 500/);
    });
  });
});
