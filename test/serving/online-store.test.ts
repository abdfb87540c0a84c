import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/errors.ts';
import { DynamoDbOnlineStore, sortKeyOf } from '../../src/serving/dynamodb-online-store.ts';
import { MemoryOnlineStore } from '../../src/serving/memory-online-store.ts';
import { toRecentEvents } from '../../src/serving/online-store.ts';

const at = (seconds: number) => new Date(seconds * 1000);
const documents = mockClient(DynamoDBDocumentClient);

beforeEach(() => documents.reset());

describe('Class: MemoryOnlineStore', () => {
  it('keeps each event id once, in time order, capped, and hides expired events', async () => {
    const store = new MemoryOnlineStore({ maxEventsPerUser: 3, ttlMs: 100_000, now: () => 1_000_000 });
    await store.record('u1', [
      { eventId: 'b', eventType: 'click', itemId: 'i2', sentAt: at(950) },
      { eventId: 'a', eventType: 'click', itemId: 'i1', sentAt: at(940) },
    ]);
    await store.record('u1', [
      { eventId: 'a', eventType: 'click', itemId: 'i1', sentAt: at(940) },
      { eventId: 'c', eventType: 'buy', itemId: 'i3', sentAt: at(960) },
      { eventId: 'old', eventType: 'click', itemId: 'i0', sentAt: at(1) },
    ]);
    expect((await store.recent('u1', 10)).map((e) => e.eventId)).toEqual(['a', 'b', 'c']);
    expect((await store.recent('u1', 2)).map((e) => e.eventId)).toEqual(['b', 'c']);
    expect(await store.recent('nobody', 10)).toEqual([]);
  });

  it('keeps only events about an item, with an id', () => {
    expect(
      toRecentEvents([
        { eventId: 'e1', eventType: 'click', itemId: 'i1', sentAt: at(1), eventValue: 2 },
        { eventId: 'e2', eventType: 'visit', sentAt: at(2) },
      ]),
    ).toEqual([{ eventId: 'e1', eventType: 'click', itemId: 'i1', eventValue: 2, sentAt: at(1) }]);
  });
});

describe('Class: DynamoDbOnlineStore', () => {
  const store = () =>
    new DynamoDbOnlineStore({
      tableName: 'recent',
      ttlSeconds: 3600,
      client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    });

  it('writes one item per event with a time-ordered sort key and a TTL, 25 per batch', async () => {
    documents.on(BatchWriteCommand).resolves({});
    const events = Array.from({ length: 30 }, (_, i) => ({
      eventId: `e${i}`,
      eventType: 'click',
      itemId: `i${i}`,
      sentAt: at(1000 + i),
    }));
    await store().record('u1', events);
    const calls = documents.commandCalls(BatchWriteCommand);
    expect(calls.map((c) => c.args[0].input.RequestItems?.recent?.length)).toEqual([25, 5]);
    expect(calls[0]?.args[0].input.RequestItems?.recent?.[0]).toEqual({
      PutRequest: {
        Item: {
          pk: 'u1',
          sk: '000000001000000#e0',
          eventId: 'e0',
          eventType: 'click',
          itemId: 'i0',
          eventValue: undefined,
          sentAt: 1000,
          expiresAt: 4600,
        },
      },
    });
    expect(
      sortKeyOf(events[2] as (typeof events)[number]) > sortKeyOf(events[1] as (typeof events)[number]),
    ).toBe(true);
  });

  it('sends unprocessed items again and fails loudly when they stay unprocessed', async () => {
    const item = { PutRequest: { Item: { pk: 'u1' } } };
    documents.on(BatchWriteCommand).resolves({ UnprocessedItems: { recent: [item] } });
    await expect(
      store().record('u1', [{ eventId: 'e', eventType: 'click', itemId: 'i', sentAt: at(1) }]),
    ).rejects.toBeInstanceOf(UnavailableError);
    expect(documents.commandCalls(BatchWriteCommand)).toHaveLength(3);
  });

  it('reads the newest events first and returns them oldest first, skipping expired ones', async () => {
    documents.on(QueryCommand).resolves({
      Items: [
        { eventId: 'e2', eventType: 'buy', itemId: 'i2', sentAt: 20, eventValue: 3 },
        { eventId: 'e1', eventType: 'click', itemId: 'i1', sentAt: 10 },
      ],
    });
    const recent = await store().recent('u1', 2);
    expect(recent).toEqual([
      { eventId: 'e1', eventType: 'click', itemId: 'i1', sentAt: at(10) },
      { eventId: 'e2', eventType: 'buy', itemId: 'i2', eventValue: 3, sentAt: at(20) },
    ]);
    expect(documents.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'recent',
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'expiresAt > :now',
      ScanIndexForward: false,
      Limit: 2,
    });
  });
});
