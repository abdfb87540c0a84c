import { hash64 } from '../core/hash64.ts';
import type { EventLogRecord } from '../event-log/schema.ts';
import { type Granularity, HOUR_BUCKETS, MINUTE_BUCKETS } from './windows.ts';

/**
 * The DynamoDB feature store's single-table layout: keys, counter updates and how a cancelled transaction
 * says why. See DynamoDbFeatureStore for the table of items.
 */
export const RING: Readonly<Record<Granularity, { prefix: string; capacity: number; seconds: number }>> = {
  minute: { prefix: 'M#', capacity: MINUTE_BUCKETS, seconds: 60 },
  hour: { prefix: 'H#', capacity: HOUR_BUCKETS, seconds: 3600 },
};

const pad = (n: number, width: number) => String(Math.floor(n)).padStart(width, '0');
export const userKey = (userId: string) => `U#${userId}`;
export const itemKey = (itemId: string) => `I#${itemId}`;
export const bucketKey = (g: Granularity, bucket: number) => `${RING[g].prefix}${pad(bucket, 10)}`;
/**
 * Partitions of the trending rows (`TRENDING#<n>`, one row per item): ranking reads them all, and spreading
 * the items keeps a burst of events on many items from writing one partition.
 */
export const TRENDING_SHARDS = 8;
const hashWords = new Uint32Array(2);
export function trendingKey(itemId: string): string {
  hash64(itemId, hashWords);
  return `TRENDING#${hashWords[0]! % TRENDING_SHARDS}`;
}

/**
 * An anonymous session's item (`sk` ANONYMOUS_SK): its recent events, one attribute `e:<eventId>` each,
 * waiting for the user the session logs in as.
 */
export const anonymousSessionKey = (sessionId: string) => `A#${sessionId}`;
export const ANONYMOUS_SK = 'A';
export const REMEMBERED_PREFIX = 'e:';

/** Recent events sort by time, newest read first; the id keeps equal times apart. */
export const eventKey = (record: Pick<EventLogRecord, 'eventId' | 'timestamp'>) =>
  `E#${pad(record.timestamp * 1000, 15)}#${record.eventId}`;

/** A transaction action adding to counters (ADD creates the item and the attributes as needed). */
export function addUpdate(
  table: string,
  pk: string,
  sk: string,
  add: Record<string, number>,
  expiresAt?: number,
) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const terms = Object.entries(add).map(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    return `#a${i} :a${i}`;
  });
  let expression = `ADD ${terms.join(', ')}`;
  if (expiresAt !== undefined) {
    values[':expiresAt'] = Math.ceil(expiresAt);
    expression += ' SET expiresAt = :expiresAt';
  }
  return {
    Update: {
      TableName: table,
      Key: { pk, sk },
      UpdateExpression: expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Why each action of a cancelled transaction failed (`ConditionalCheckFailed` on the marker: the event was
 * applied before; `TransactionConflict`: another transaction held one of the items, e.g. a hot item).
 */
export function cancellationCodes(error: unknown): string[] {
  const shape = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (shape.name !== 'TransactionCanceledException') return [];
  return (shape.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}
