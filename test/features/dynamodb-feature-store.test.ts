import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ThrottledError, UnavailableError } from '../../src/errors.ts';
import { DynamoDbFeatureStore } from '../../src/features/dynamodb-feature-store.ts';
import { TRENDING_SHARDS, trendingKey } from '../../src/features/dynamodb-layout.ts';
import { MemoryFeatureStore, type ScoredItem } from '../../src/features/memory-feature-store.ts';
import type { FeatureStoreOptions } from '../../src/features/types.ts';
import { fakeTable } from './fake-dynamodb-table.ts';
import { describeFeatureStoreContract } from './feature-store.contract.ts';
import { clock, DAY, event, HOUR, T0 } from './fixtures.ts';

const documents = mockClient(DynamoDBDocumentClient);
beforeEach(() => documents.reset());

const client = () => DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const make = (options: FeatureStoreOptions & { now: () => number }) => {
  fakeTable(documents);
  return new DynamoDbFeatureStore({
    ...options,
    tableName: 'features',
    client: client(),
    sleep: async () => {},
  });
};

describeFeatureStoreContract('DynamoDB', make);

describe('Class: DynamoDbFeatureStore', () => {
  it('writes each event as one transaction: a conditional marker, ADD counters and TTLs', async () => {
    // Prepare
    fakeTable(documents);
    const store = new DynamoDbFeatureStore({
      tableName: 'features',
      client: client(),
      now: clock(T0 + 90).now,
      categoryOf: () => 'shoes',
      ttlSeconds: DAY,
    });
    // Act
    await store.apply([
      event({ eventId: 'x1', timestamp: T0 + 61, userId: 'u1', itemId: 'i1', sessionId: 's' }),
    ]);
    // Assess
    const [call] = documents.commandCalls(TransactWriteCommand);
    const actions = call!.args[0].input.TransactItems!;
    expect(actions[0]).toEqual({
      Put: {
        TableName: 'features',
        Item: { pk: 'EVENT#x1', sk: 'EVENT', expiresAt: T0 + 90 + 8 * DAY },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    const updates = actions.flatMap((a) => (a.Update ? [a.Update] : []));
    const minute = String(Math.floor((T0 + 61) / 60)).padStart(10, '0');
    const hour = String(Math.floor((T0 + 61) / 3600)).padStart(10, '0');
    expect(updates.map((u) => `${u.Key!.pk} ${u.Key!.sk} ${u.UpdateExpression}`)).toEqual([
      `U#u1 M#${minute} ADD #a0 :a0, #a1 :a1 SET expiresAt = :expiresAt`,
      `U#u1 H#${hour} ADD #a0 :a0, #a1 :a1 SET expiresAt = :expiresAt`,
      'U#u1 S#s ADD #a0 :a0 SET expiresAt = :expiresAt',
      `I#i1 M#${minute} ADD #a0 :a0 SET expiresAt = :expiresAt`,
      `I#i1 H#${hour} ADD #a0 :a0 SET expiresAt = :expiresAt`,
      'I#i1 P ADD #a0 :a0',
      // The same popularity term in the item's trending row, which topItems ranks.
      `${trendingKey('i1')} i1 ADD #a0 :a0 SET expiresAt = :expiresAt`,
    ]);
    expect(updates[0]!.ExpressionAttributeNames).toEqual({ '#a0': 't:click', '#a1': 'c:shoes' });
    // A minute bucket lives until it leaves the 1h window.
    expect(updates[0]!.ExpressionAttributeValues![':expiresAt']).toBe((Math.floor((T0 + 61) / 60) + 61) * 60);
    const recent = actions.find((a) => String(a.Put?.Item?.sk).startsWith('E#'))!.Put!.Item!;
    expect(recent).toMatchObject({ pk: 'U#u1', sessionId: 's', expiresAt: T0 + 61 + DAY });
  });

  it('ranks topItems as the memory store does, reading every trending partition to its last page', async () => {
    // Prepare
    fakeTable(documents, { pageSize: 3 });
    const time = clock(T0 + HOUR);
    const store = new DynamoDbFeatureStore({ tableName: 'features', client: client(), now: time.now });
    const memory = new MemoryFeatureStore({ now: time.now });
    const events = Array.from({ length: 40 }, (_, i) =>
      Array.from({ length: 1 + (i % 7) }, (_, n) =>
        event({ timestamp: T0 + n * 60, userId: `u${n}`, itemId: `i${i}` }),
      ),
    ).flat();
    await Promise.all([store.apply(events), memory.apply(events)]);
    // Act
    const ranked = await store.topItems(12);
    // Assess
    const sorted = (items: readonly ScoredItem[]) =>
      [...items].sort((a, b) => b.score - a.score || a.itemId.localeCompare(b.itemId));
    expect(sorted(ranked)).toEqual(sorted(memory.topItems(12)));
    expect(ranked[0]!.score).toBeGreaterThan(ranked[11]!.score);
    expect(documents.commandCalls(QueryCommand).length).toBeGreaterThan(TRENDING_SHARDS);
  });

  it('counts a redelivered event once, whether in the same call or later', async () => {
    const items = fakeTable(documents);
    const store = new DynamoDbFeatureStore({ tableName: 'features', client: client(), now: clock(T0).now });
    const e = event({ timestamp: T0 });
    expect(await store.apply([e, e])).toEqual({ applied: 1, duplicates: 1 });
    expect(await store.apply([e])).toEqual({ applied: 0, duplicates: 1 });
    const minute = [...items.values()].find((i) => i.pk === 'I#i1' && String(i.sk).startsWith('M#'));
    expect(minute?.['t:click']).toBe(1);
  });

  it('retries a transaction that conflicts on a hot item, then maps other failures to typed errors', async () => {
    fakeTable(documents);
    const conflict = new TransactionCanceledException({
      message: 'conflict',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
    });
    documents.on(TransactWriteCommand).rejectsOnce(conflict).rejectsOnce(conflict).resolves({});
    const store = new DynamoDbFeatureStore({
      tableName: 'features',
      client: client(),
      now: clock(T0).now,
      sleep: async () => {},
    });
    expect(await store.apply([event({ timestamp: T0, userId: null })])).toEqual({
      applied: 1,
      duplicates: 0,
    });
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(3);

    documents
      .on(TransactWriteCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(store.apply([event({ timestamp: T0 })])).rejects.toThrow(ThrottledError);
    documents.on(QueryCommand).rejects(new Error('boom'));
    await expect(store.readUser('u1')).rejects.toThrow(UnavailableError);
    await expect(store.readUser('u1')).rejects.toThrow(/dynamodb:Query on table features failed/);
  });

  it("keeps an anonymous session's newest recentEvents events in one item with a TTL, removed at the join", async () => {
    // Prepare
    const items = fakeTable(documents);
    const store = new DynamoDbFeatureStore({
      tableName: 'features',
      client: client(),
      now: clock(T0 + 100).now,
      recentEvents: 2,
      ttlSeconds: DAY,
    });
    const session = () => items.get('A#join1\u0000A');
    const remembered = () => Object.keys(session() ?? {}).filter((name) => name.startsWith('e:'));
    // Act
    await store.apply([
      event({ eventId: 'a1', timestamp: T0 + 1, userId: null, sessionId: 'join1' }),
      event({ eventId: 'a3', timestamp: T0 + 3, userId: null, sessionId: 'join1' }),
    ]);
    await store.apply([event({ eventId: 'a2', timestamp: T0 + 2, userId: null, sessionId: 'join1' })]);
    // Assess
    expect(remembered().sort()).toEqual(['e:a2', 'e:a3']);
    expect(session()).toMatchObject({
      expiresAt: T0 + 100 + DAY,
      'e:a3': { eventType: 'click', itemId: 'i1', timestamp: T0 + 3 },
    });
    await store.apply([event({ timestamp: T0 + 4, userId: 'u7', sessionId: 'join1' })]);
    expect(remembered()).toEqual([]);
    expect(items.get('EVENT#a2\u0000USER')).toMatchObject({ expiresAt: T0 + 100 + 8 * DAY });
  });

  it('carries each anonymous event once when a join failed half-way and the login batch is retried', async () => {
    // Prepare
    fakeTable(documents);
    documents
      .on(UpdateCommand, { ConditionExpression: 'attribute_exists(pk)' })
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    const store = new DynamoDbFeatureStore({
      tableName: 'features',
      client: client(),
      now: clock(T0 + 100).now,
    });
    await store.apply([
      event({ timestamp: T0 + 1, userId: null, sessionId: 'join1', itemId: 'i5' }),
      event({ timestamp: T0 + 2, userId: null, sessionId: 'join1', itemId: 'i6' }),
    ]);
    const loginBatch = [event({ timestamp: T0 + 3, userId: 'u7', sessionId: 'join1', itemId: 'i7' })];
    // Act
    await expect(store.apply(loginBatch)).rejects.toThrow(ThrottledError);
    const retried = await store.apply(loginBatch);
    // Assess
    expect(retried).toEqual({ applied: 1, duplicates: 0 });
    expect(await store.readUser('u7', ['event_counts_1h', 'recent_items', 'session_length'])).toEqual({
      id: 'u7',
      status: 'FOUND',
      features: { event_counts_1h: { click: 3 }, recent_items: ['i7', 'i6', 'i5'], session_length: 3 },
    });
  });

  it('reads only what the requested features need', async () => {
    fakeTable(documents);
    const store = new DynamoDbFeatureStore({ tableName: 'features', client: client(), now: clock(T0).now });
    await store.apply([event({ timestamp: T0 })]);
    documents.resetHistory();
    expect(await store.readUser('u1', ['last_seen'])).toEqual({
      id: 'u1',
      status: 'FOUND',
      features: { last_seen: T0 },
    });
    expect(documents.calls()).toHaveLength(1);
  });
});
