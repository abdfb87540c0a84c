import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FieldIssue, InvalidInputError } from '../../src/errors.ts';
import {
  LIMITS,
  validateGetPersonalizedRanking,
  validateGetRecommendations,
  validateGetSimilarItems,
  validatePutEvents,
  validatePutItems,
  validatePutUsers,
} from '../../src/recommender/index.ts';

/** Runs a validation that must fail and returns its field issues. */
function issuesOf(validate: () => unknown): readonly FieldIssue[] {
  try {
    validate();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).issues;
  }
  return expect.unreachable('expected InvalidInputError');
}

/** Asserts one issue names `field` and mentions `limit` (the number or rule that was broken). */
function expectIssue(validate: () => unknown, field: string, limit: string): void {
  expect(issuesOf(validate)).toContainEqual({ field, message: expect.stringContaining(limit) });
}

const text = (length: number, char = 'x'): string => char.repeat(length);
const ids = (count: number): string[] => Array.from({ length: count }, (_, i) => `i${i}`);
const entries = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`K${i}`, 'v']));
const event = (overrides: Record<string, unknown> = {}) => ({
  eventType: 'view',
  sentAt: new Date('2024-05-01T00:00:00Z'),
  ...overrides,
});
const putEvents = (overrides: Record<string, unknown>) => () =>
  validatePutEvents({ sessionId: 's1', eventList: [event(overrides)] });

describe('Function: validateGetRecommendations', () => {
  it('returns a valid request unchanged', () => {
    const request = {
      userId: 'u1',
      numResults: 10,
      context: { DEVICE: 'mobile' },
      filter: 'f',
      filterValues: { CATEGORY: '"books"' },
      metadataColumns: ['CATEGORY'],
    };
    expect(validateGetRecommendations(request)).toEqual(request);
  });

  it('accepts userId of 1 and 256 characters and rejects 0 and 257', () => {
    expect(validateGetRecommendations({ userId: text(256) }).userId).toHaveLength(256);
    expect(validateGetRecommendations({ userId: 'u' }).userId).toBe('u');
    expectIssue(() => validateGetRecommendations({ userId: '' }), 'userId', '1 to 256 characters');
    expectIssue(() => validateGetRecommendations({ userId: text(257) }), 'userId', '1 to 256 characters');
  });

  it('names a missing or mistyped userId', () => {
    expectIssue(() => validateGetRecommendations({}), 'userId', 'is required');
    expectIssue(() => validateGetRecommendations({ userId: 5 }), 'userId', 'must be a string');
  });

  it('accepts numResults 1 and 500, rejects 0, 501, fractions and strings', () => {
    expect(validateGetRecommendations({ userId: 'u', numResults: 1 }).numResults).toBe(1);
    expect(validateGetRecommendations({ userId: 'u', numResults: 500 }).numResults).toBe(500);
    expectIssue(() => validateGetRecommendations({ userId: 'u', numResults: 0 }), 'numResults', '1 to 500');
    expectIssue(() => validateGetRecommendations({ userId: 'u', numResults: 501 }), 'numResults', '1 to 500');
    expectIssue(() => validateGetRecommendations({ userId: 'u', numResults: 2.5 }), 'numResults', 'integer');
    expectIssue(() => validateGetRecommendations({ userId: 'u', numResults: '5' }), 'numResults', 'integer');
  });

  it('caps numResults at 50 only when metadataColumns is set', () => {
    const metadataColumns = ['CATEGORY'];
    expect(validateGetRecommendations({ userId: 'u', numResults: 50, metadataColumns }).numResults).toBe(50);
    expect(validateGetRecommendations({ userId: 'u', numResults: 51 }).numResults).toBe(51);
    expectIssue(
      () => validateGetRecommendations({ userId: 'u', numResults: 51, metadataColumns }),
      'numResults',
      'at most 50 when metadataColumns is set',
    );
  });

  it('allows 10 metadataColumns of at most 150 characters', () => {
    expect(
      validateGetRecommendations({ userId: 'u', metadataColumns: ids(10) }).metadataColumns,
    ).toHaveLength(10);
    expectIssue(
      () => validateGetRecommendations({ userId: 'u', metadataColumns: ids(11) }),
      'metadataColumns',
      'at most 10 columns',
    );
    expectIssue(
      () => validateGetRecommendations({ userId: 'u', metadataColumns: [text(151)] }),
      'metadataColumns.0',
      '1 to 150 characters',
    );
  });

  it('limits context to 150 entries, keys of 150 word characters and values of 1000', () => {
    expect(validateGetRecommendations({ userId: 'u', context: entries(150) }).context).toEqual(entries(150));
    expectIssue(
      () => validateGetRecommendations({ userId: 'u', context: entries(151) }),
      'context',
      '150 entries',
    );
    expectIssue(
      () => validateGetRecommendations({ userId: 'u', context: { [text(151, 'k')]: 'v' } }),
      `context.${text(151, 'k')}`,
      'at most 150 characters',
    );
    expectIssue(
      () => validateGetRecommendations({ userId: 'u', context: { 'DEVICE-TYPE': 'v' } }),
      'context.DEVICE-TYPE',
      'keys must match',
    );
    expectIssue(
      () => validateGetRecommendations({ userId: 'u', context: { DEVICE: text(1001) } }),
      'context.DEVICE',
      'at most 1000 characters',
    );
    expectIssue(
      () => validateGetRecommendations({ userId: 'u', context: { DEVICE: 3 } }),
      'context.DEVICE',
      'must be a string',
    );
  });

  it('refuses filterValues without a filter, naming the keys', () => {
    for (const validate of [
      () => validateGetRecommendations({ userId: 'u', filterValues: { X: '"a"' } }),
      () => validateGetSimilarItems({ itemId: 'i', filterValues: { X: '"a"' } }),
      () => validateGetPersonalizedRanking({ userId: 'u', inputList: ['i'], filterValues: { X: '"a"' } }),
    ]) {
      expectIssue(
        validate,
        'filterValues',
        'need a filter expression that uses them, and no filter is given (got X)',
      );
    }
  });

  it('limits filterValues to 25 entries, keys of 50 word characters and values of 1000', () => {
    expect(
      validateGetRecommendations({ userId: 'u', filter: 'f', filterValues: entries(25) }).filterValues,
    ).toEqual(entries(25));
    expectIssue(
      () => validateGetRecommendations({ userId: 'u', filterValues: entries(26) }),
      'filterValues',
      '25 entries',
    );
    expectIssue(
      () => validateGetRecommendations({ userId: 'u', filterValues: { [text(51, 'K')]: '"a"' } }),
      `filterValues.${text(51, 'K')}`,
      'at most 50 characters',
    );
    expectIssue(
      () => validateGetRecommendations({ userId: 'u', filterValues: { $CATEGORY: '"a"' } }),
      'filterValues.$CATEGORY',
      'keys must match',
    );
    expectIssue(
      () => validateGetRecommendations({ userId: 'u', filterValues: { CATEGORY: text(1001) } }),
      'filterValues.CATEGORY',
      'at most 1000 characters',
    );
  });

  it('limits the filter name or ARN to 256 characters', () => {
    expectIssue(() => validateGetRecommendations({ userId: 'u', filter: text(257) }), 'filter', '1 to 256');
  });

  it('rejects unknown fields, naming them', () => {
    expectIssue(
      () => validateGetRecommendations({ userId: 'u', itemId: 'i1', campaign: 'c' }),
      '(request)',
      'unknown field(s): itemId, campaign',
    );
  });

  it('rejects a request that is not an object', () => {
    expect(issuesOf(() => validateGetRecommendations(null)).map((i) => i.field)).toEqual(['(request)']);
  });
});

describe('Function: validateGetSimilarItems', () => {
  it('requires itemId of 1 to 256 characters and takes an optional userId', () => {
    expect(validateGetSimilarItems({ itemId: 'i1', userId: 'u1', numResults: 5 })).toEqual({
      itemId: 'i1',
      userId: 'u1',
      numResults: 5,
    });
    expectIssue(() => validateGetSimilarItems({}), 'itemId', 'is required');
    expectIssue(() => validateGetSimilarItems({ itemId: text(257) }), 'itemId', '1 to 256 characters');
    expectIssue(() => validateGetSimilarItems({ itemId: 'i', userId: '' }), 'userId', '1 to 256 characters');
  });

  it('applies the numResults limits, 50 with metadata', () => {
    expectIssue(() => validateGetSimilarItems({ itemId: 'i', numResults: 501 }), 'numResults', '1 to 500');
    expectIssue(
      () => validateGetSimilarItems({ itemId: 'i', numResults: 51, metadataColumns: ['CATEGORY'] }),
      'numResults',
      'at most 50',
    );
  });
});

describe('Function: validateGetPersonalizedRanking', () => {
  it('accepts 1 and 500 ids and rejects 0 and 501', () => {
    expect(validateGetPersonalizedRanking({ userId: 'u', inputList: ids(1) }).inputList).toHaveLength(1);
    expect(validateGetPersonalizedRanking({ userId: 'u', inputList: ids(500) }).inputList).toHaveLength(500);
    expectIssue(
      () => validateGetPersonalizedRanking({ userId: 'u', inputList: [] }),
      'inputList',
      '1 to 500 item ids',
    );
    expectIssue(
      () => validateGetPersonalizedRanking({ userId: 'u', inputList: ids(501) }),
      'inputList',
      '1 to 500 item ids',
    );
  });

  it('caps inputList at 50 when metadataColumns is set', () => {
    expectIssue(
      () => validateGetPersonalizedRanking({ userId: 'u', inputList: ids(51), metadataColumns: ['PRICE'] }),
      'inputList',
      'at most 50 when metadataColumns is set',
    );
  });

  it('names the bad id inside inputList and a missing userId', () => {
    expectIssue(
      () => validateGetPersonalizedRanking({ userId: 'u', inputList: ['i1', ''] }),
      'inputList.1',
      '1 to 256 characters',
    );
    expectIssue(() => validateGetPersonalizedRanking({ inputList: ['i1'] }), 'userId', 'is required');
  });
});

describe('Function: validatePutEvents', () => {
  it('accepts a full valid event', () => {
    const request = {
      sessionId: 's1',
      userId: 'u1',
      eventList: [
        event({
          eventId: 'e1',
          eventValue: 9.99,
          itemId: 'i1',
          properties: { device: 'mobile', numberOfRatings: 3 },
          recommendationId: text(40),
          impression: ids(25),
        }),
      ],
    };
    expect(validatePutEvents(request)).toEqual(request);
  });

  it('accepts 1 and 10 events and rejects 0 and 11, naming eventList', () => {
    const list = (n: number) => Array.from({ length: n }, () => event());
    expect(validatePutEvents({ sessionId: 's', eventList: list(10) }).eventList).toHaveLength(10);
    expectIssue(() => validatePutEvents({ sessionId: 's', eventList: [] }), 'eventList', '1 to 10 events');
    expectIssue(
      () => validatePutEvents({ sessionId: 's', eventList: list(11) }),
      'eventList',
      '1 to 10 events',
    );
  });

  it('requires sessionId and eventType of 1 to 256 characters', () => {
    expectIssue(() => validatePutEvents({ eventList: [event()] }), 'sessionId', 'is required');
    expectIssue(
      () => validatePutEvents({ sessionId: text(257), eventList: [event()] }),
      'sessionId',
      '1 to 256 characters',
    );
    expectIssue(putEvents({ eventType: undefined }), 'eventList.0.eventType', 'is required');
    expectIssue(putEvents({ eventType: '' }), 'eventList.0.eventType', '1 to 256 characters');
    expectIssue(putEvents({ eventId: text(257) }), 'eventList.0.eventId', '1 to 256 characters');
    expectIssue(putEvents({ itemId: '' }), 'eventList.0.itemId', '1 to 256 characters');
  });

  it('limits recommendationId to 40 characters and impression to 1..25 ids', () => {
    expectIssue(
      putEvents({ recommendationId: text(41) }),
      'eventList.0.recommendationId',
      '1 to 40 characters',
    );
    expectIssue(putEvents({ impression: [] }), 'eventList.0.impression', '1 to 25 item ids');
    expectIssue(putEvents({ impression: ids(26) }), 'eventList.0.impression', '1 to 25 item ids');
    expectIssue(putEvents({ impression: ['i1', text(257)] }), 'eventList.0.impression.1', '1 to 256');
  });

  it('takes sentAt as a Date or epoch seconds, and rejects milliseconds', () => {
    const seconds = 1_714_521_600;
    const parsed = validatePutEvents({ sessionId: 's', eventList: [event({ sentAt: seconds + 0.5 })] });
    expect(parsed.eventList[0]!.sentAt).toEqual(new Date((seconds + 0.5) * 1000));
    expectIssue(putEvents({ sentAt: seconds * 1000 }), 'eventList.0.sentAt', 'looks like milliseconds');
    expectIssue(
      putEvents({ sentAt: new Date(seconds * 1000 * 1000) }),
      'eventList.0.sentAt',
      `above ${LIMITS.maxEpochSeconds}`,
    );
    expectIssue(putEvents({ sentAt: -1 }), 'eventList.0.sentAt', 'Unix epoch seconds');
    expectIssue(putEvents({ sentAt: '2024-05-01' }), 'eventList.0.sentAt', 'a Date or Unix epoch seconds');
    expectIssue(putEvents({ sentAt: undefined }), 'eventList.0.sentAt', 'is required');
  });

  it('requires eventValue to be a finite number', () => {
    expectIssue(
      putEvents({ eventValue: Number.POSITIVE_INFINITY }),
      'eventList.0.eventValue',
      'must be a finite number',
    );
    expectIssue(putEvents({ eventValue: Number.NaN }), 'eventList.0.eventValue', 'must be a finite number');
    expectIssue(putEvents({ eventValue: '9.99' }), 'eventList.0.eventValue', 'must be a finite number');
  });

  it('limits properties to 1024 characters of JSON', () => {
    const fits = { note: text(1024 - '{"note":""}'.length) };
    expect(validatePutEvents({ sessionId: 's', eventList: [event({ properties: fits })] })).toBeDefined();
    expectIssue(
      putEvents({ properties: { note: text(1024) } }),
      'eventList.0.properties',
      'at most 1024 characters of JSON',
    );
  });

  it('rejects reserved property keys, ignoring case', () => {
    for (const key of ['userId', 'SESSIONID', 'eventType', 'Timestamp', 'recommendationId', 'impression']) {
      expectIssue(
        putEvents({ properties: { [key]: 'x' } }),
        'eventList.0.properties',
        `key "${key}" is reserved`,
      );
    }
  });

  it('names property keys that are empty or values that are not scalars', () => {
    expectIssue(putEvents({ properties: { '': 'x' } }), 'eventList.0.properties.', 'keys must not be empty');
    expect(issuesOf(putEvents({ properties: { nested: { a: 1 } } })).map((i) => i.field)).toEqual([
      'eventList.0.properties.nested',
    ]);
  });

  it('rejects unknown fields of the request and of an event', () => {
    expectIssue(
      () => validatePutEvents({ sessionId: 's', trackingId: 't', eventList: [event()] }),
      '(request)',
      'unknown field(s): trackingId',
    );
    expectIssue(putEvents({ timestamp: 1 }), 'eventList.0', 'unknown field(s): timestamp');
  });
});

describe('Functions: validatePutItems and validatePutUsers', () => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ itemId: `i${i}` }));
  const users = (n: number) => Array.from({ length: n }, (_, i) => ({ userId: `u${i}` }));

  it('accept 1 and 10 records and reject 0 and 11', () => {
    expect(validatePutItems({ items: items(10) }).items).toHaveLength(10);
    expect(validatePutUsers({ users: users(1) }).users).toHaveLength(1);
    expectIssue(() => validatePutItems({ items: [] }), 'items', '1 to 10 items');
    expectIssue(() => validatePutItems({ items: items(11) }), 'items', '1 to 10 items');
    expectIssue(() => validatePutUsers({ users: [] }), 'users', '1 to 10 users');
    expectIssue(() => validatePutUsers({ users: users(11) }), 'users', '1 to 10 users');
  });

  it('limit ids to 1..256 characters', () => {
    expectIssue(() => validatePutItems({ items: [{ itemId: text(257) }] }), 'items.0.itemId', '1 to 256');
    expectIssue(() => validatePutUsers({ users: [{ userId: '' }] }), 'users.0.userId', '1 to 256');
  });

  it('limit properties JSON to 32000 characters for items and 24000 for users', () => {
    const item = (length: number) => ({ itemId: 'i', properties: { description: text(length) } });
    const user = (length: number) => ({ userId: 'u', properties: { bio: text(length) } });
    const itemOverhead = '{"description":""}'.length;
    const userOverhead = '{"bio":""}'.length;
    expect(validatePutItems({ items: [item(32_000 - itemOverhead)] }).items).toHaveLength(1);
    expect(validatePutUsers({ users: [user(24_000 - userOverhead)] }).users).toHaveLength(1);
    expectIssue(
      () => validatePutItems({ items: [item(32_001 - itemOverhead)] }),
      'items.0.properties',
      'at most 32000 characters of JSON',
    );
    expectIssue(
      () => validatePutUsers({ users: [user(24_001 - userOverhead)] }),
      'users.0.properties',
      'at most 24000 characters of JSON',
    );
  });

  it('allow the keys reserved for events in item and user properties', () => {
    expect(validatePutItems({ items: [{ itemId: 'i', properties: { timestamp: 1 } }] }).items).toHaveLength(
      1,
    );
  });

  it('reject unknown fields of a record', () => {
    expectIssue(() => validatePutItems({ items: [{ itemId: 'i', category: 'x' }] }), 'items.0', 'category');
    expectIssue(() => validatePutUsers({ users: [{ userId: 'u', age: 3 }] }), 'users.0', 'age');
  });
});

describe('Property: validators', () => {
  const validators = [
    validateGetRecommendations,
    validateGetSimilarItems,
    validateGetPersonalizedRanking,
    validatePutEvents,
    validatePutItems,
    validatePutUsers,
  ];
  /** Inputs near the real shapes, so the checks past the top level are reached too. */
  const nearlyValid = fc.record(
    {
      userId: fc.oneof(fc.string({ maxLength: 300 }), fc.anything()),
      itemId: fc.oneof(fc.string({ maxLength: 300 }), fc.anything()),
      sessionId: fc.string(),
      numResults: fc.oneof(fc.integer(), fc.double(), fc.anything()),
      inputList: fc.array(fc.oneof(fc.string(), fc.anything()), { maxLength: 600 }),
      context: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.anything())),
      filterValues: fc.dictionary(fc.string(), fc.string()),
      metadataColumns: fc.array(fc.string(), { maxLength: 12 }),
      eventList: fc.array(
        fc.record(
          {
            eventType: fc.string(),
            sentAt: fc.oneof(fc.date(), fc.double(), fc.anything()),
            properties: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.double(), fc.anything())),
            impression: fc.array(fc.string(), { maxLength: 30 }),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 12 },
      ),
      items: fc.array(fc.record({ itemId: fc.anything(), properties: fc.anything() }, { requiredKeys: [] })),
      users: fc.array(fc.record({ userId: fc.anything(), properties: fc.anything() }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  );

  it('never throw anything but InvalidInputError, with a field path on every issue', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), nearlyValid), fc.nat(validators.length - 1), (input, which) => {
        try {
          validators[which]!(input);
        } catch (error) {
          if (!(error instanceof InvalidInputError)) return false;
          return (
            error.issues.length > 0 && error.issues.every((i) => i.field.length > 0 && i.message.length > 0)
          );
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  it('accept every request within the limits', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 256 }),
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.string({ minLength: 1, maxLength: 256 }), { minLength: 1, maxLength: 500 }),
        (userId, numResults, inputList) => {
          expect(validateGetRecommendations({ userId, numResults })).toEqual({ userId, numResults });
          expect(validateGetPersonalizedRanking({ userId, inputList }).inputList).toEqual(inputList);
        },
      ),
      { numRuns: 200 },
    );
  });
});
