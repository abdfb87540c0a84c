import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { awsCall } from '../aws/aws-errors.ts';
import { UnavailableError } from '../errors.ts';
import type { OnlineStore, RecentEvent } from './online-store.ts';

export interface DynamoDbOnlineStoreOptions {
  /** Table with string keys `pk` (userId) and `sk` (time-ordered event key), TTL attribute `expiresAt`. */
  readonly tableName: string;
  /**
   * How long an event is kept (DynamoDB deletes it after `expiresAt`).
   * @default 30 days
   */
  readonly ttlSeconds?: number;
  /** @default - a DocumentClient over a new DynamoDBClient */
  readonly client?: DynamoDBDocumentClient;
}

/** DynamoDB's BatchWriteItem takes at most 25 requests. */
const BATCH_SIZE = 25;
/** Unprocessed items (throttling) are sent again this many times before the write is reported as failed. */
const MAX_BATCH_ROUNDS = 3;

/** Zero-padded epoch milliseconds sort as strings in time order; the event id keeps keys unique. */
export const sortKeyOf = (event: RecentEvent) =>
  `${String(event.sentAt.getTime()).padStart(15, '0')}#${event.eventId}`;

/** The online store in DynamoDB: one item per event, newest read first, expired by TTL. */
export class DynamoDbOnlineStore implements OnlineStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly ttlSeconds: number;

  constructor(options: DynamoDbOnlineStoreOptions) {
    this.tableName = options.tableName;
    this.ttlSeconds = options.ttlSeconds ?? 30 * 24 * 3600;
    this.client =
      options.client ??
      DynamoDBDocumentClient.from(new DynamoDBClient({}), {
        marshallOptions: { removeUndefinedValues: true },
      });
  }

  async record(userId: string, events: readonly RecentEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += BATCH_SIZE) {
      const requests = events.slice(start, start + BATCH_SIZE).map((event) => ({
        PutRequest: {
          Item: {
            pk: userId,
            sk: sortKeyOf(event),
            eventId: event.eventId,
            eventType: event.eventType,
            itemId: event.itemId,
            eventValue: event.eventValue,
            sentAt: event.sentAt.getTime() / 1000,
            expiresAt: Math.floor(event.sentAt.getTime() / 1000) + this.ttlSeconds,
          },
        },
      }));
      await this.writeAll(requests);
    }
  }

  async recent(userId: string, limit: number): Promise<RecentEvent[]> {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const output = await awsCall({ action: 'dynamodb:Query', resource: `table ${this.tableName}` }, () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          // TTL deletion lags by up to days; expired items must not be served meanwhile.
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: { ':pk': userId, ':now': nowSeconds },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    return (output.Items ?? []).map(toRecentEvent).reverse();
  }

  private async writeAll(requests: Record<string, unknown>[]): Promise<void> {
    let pending = requests;
    for (let round = 0; round < MAX_BATCH_ROUNDS && pending.length > 0; round++) {
      const output = await awsCall(
        { action: 'dynamodb:BatchWriteItem', resource: `table ${this.tableName}` },
        () => this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } })),
      );
      pending = (output.UnprocessedItems?.[this.tableName] ?? []) as Record<string, unknown>[];
    }
    if (pending.length > 0) {
      throw new UnavailableError(`online store: ${pending.length} event(s) still unprocessed by DynamoDB`);
    }
  }
}

function toRecentEvent(item: Record<string, unknown>): RecentEvent {
  return {
    eventId: String(item.eventId),
    eventType: String(item.eventType),
    ...(typeof item.itemId === 'string' && { itemId: item.itemId }),
    ...(typeof item.eventValue === 'number' && { eventValue: item.eventValue }),
    sentAt: new Date(Number(item.sentAt) * 1000),
  };
}
