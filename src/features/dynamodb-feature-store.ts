import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { toAwsToolkitError } from '../aws/aws-errors.ts';
import { withRetries } from '../core/retry.ts';
import { topK } from '../core/top-k.ts';
import type { EventLogRecord } from '../event-log/schema.ts';
import { decayedScore, decayTerm } from './decay.ts';
import {
  addUpdate,
  bucketKey,
  cancellationCodes,
  eventKey,
  itemKey,
  RING,
  TRENDING_SHARDS,
  trendingKey,
  userKey,
} from './dynamodb-layout.ts';
import { mapLimit } from './map-limit.ts';
import type { ScoredItem } from './memory-feature-store.ts';
import { itemFeatures, type KeptEvent, userFeatures } from './snapshot.ts';
import {
  type ApplyResult,
  type BatchReadRequest,
  type BatchReadResult,
  type FeatureRow,
  type FeatureStore,
  type FeatureStoreOptions,
  ITEM_FEATURES,
  type ItemFeatureName,
  USER_FEATURES,
  type UserFeatureName,
} from './types.ts';
import { bucketOf, bucketRecords, type CountSource, type Granularity } from './windows.ts';

export interface DynamoDbFeatureStoreOptions extends FeatureStoreOptions {
  /** Table with string keys `pk` and `sk` and the TTL attribute `expiresAt` (epoch seconds). */
  readonly tableName: string;
  /** @default - a DocumentClient over a new DynamoDBClient */
  readonly client?: DynamoDBDocumentClient;
  /**
   * How long an applied event id is remembered: a redelivery within it never counts twice.
   * @default 8 days (beyond the 7d window, a late duplicate changes no window count)
   */
  readonly dedupeSeconds?: number;
  /**
   * Events (and, in reads, entities) handled in parallel.
   * @default 8
   */
  readonly concurrency?: number;
  /**
   * Attempts of an event's transaction when it conflicts with a concurrent one on the same item (hot
   * items); other failures are thrown at once for the caller to retry the batch.
   * @default 5
   */
  readonly conflictAttempts?: number;
  /** Waits between conflict retries. @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

const NO_COUNTS: CountSource = () => {};

/**
 * The feature store in DynamoDB (one table, single-table layout):
 *
 * | pk | sk | holds |
 * |----|----|-------|
 * | `EVENT#<eventId>` | `EVENT` | the idempotency marker, written only if absent |
 * | `U#<user>` / `I#<item>` | `M#<minute>`, `H#<hour>` | window counts `t:<eventType>`, `c:<category>` (ADD) |
 * | `U#<user>` | `E#<ms>#<eventId>` | the user's events, read newest first for `recent_*` and the session |
 * | `U#<user>` | `S#<sessionId>` | session length (ADD) and start |
 * | `I#<item>` | `P` | popularity terms `p:<ref>` (ADD, see decay.ts) and the last interaction |
 * | `TRENDING#<n>` | `<item>` | the same popularity terms again, one partition of 8 per item hash: `topItems` |
 *
 * Each event is one transaction: the marker (condition `attribute_not_exists`) with every counter update,
 * so a redelivered event is refused whole and a failed one leaves nothing behind (retrying is safe). The
 * last-interaction and session-start values (a max and a min, which DynamoDB cannot ADD) follow with
 * conditional writes. Every item carries `expiresAt` for TTL; reads ignore expired items TTL has not yet
 * removed.
 */
export class DynamoDbFeatureStore implements FeatureStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly dedupeSeconds: number;
  private readonly concurrency: number;
  private readonly recentEvents: number;
  private readonly halfLife: number;
  private readonly ttl: number;
  private readonly weights: Readonly<Record<string, number>>;
  private readonly categoryOf: ((itemId: string) => string | undefined) | undefined;
  private readonly now: () => number;
  private readonly conflictAttempts: number;
  private readonly sleep: ((ms: number) => Promise<void>) | undefined;

  constructor(options: DynamoDbFeatureStoreOptions) {
    this.conflictAttempts = options.conflictAttempts ?? 5;
    this.sleep = options.sleep;
    this.table = options.tableName;
    this.client =
      options.client ??
      DynamoDBDocumentClient.from(new DynamoDBClient({}), {
        marshallOptions: { removeUndefinedValues: true },
      });
    this.dedupeSeconds = options.dedupeSeconds ?? 8 * 86_400;
    this.concurrency = options.concurrency ?? 8;
    this.recentEvents = options.recentEvents ?? 20;
    this.halfLife = options.halfLifeSeconds ?? 86_400;
    this.ttl = options.ttlSeconds ?? 30 * 86_400;
    this.weights = options.eventWeights ?? {};
    this.categoryOf = options.categoryOf;
    this.now = options.now ?? Date.now;
  }

  async apply(records: readonly EventLogRecord[]): Promise<ApplyResult> {
    const outcomes = await mapLimit(records, this.concurrency, (record) => this.applyOne(record));
    const applied = outcomes.filter(Boolean).length;
    return { applied, duplicates: records.length - applied };
  }

  /** Reads the idempotency markers (one GetItem each: replays are small, the hot path never asks). */
  async appliedEventIds(eventIds: readonly string[]): Promise<Set<string>> {
    const nowSeconds = this.now() / 1000;
    const found = await mapLimit(eventIds, this.concurrency, async (id) => {
      const marker = await this.get(`EVENT#${id}`, 'EVENT');
      return marker !== undefined && Number(marker.expiresAt) > nowSeconds;
    });
    return new Set(eventIds.filter((_, i) => found[i]));
  }

  async readUser(
    userId: string,
    features: readonly UserFeatureName[] = USER_FEATURES,
  ): Promise<FeatureRow<UserFeatureName>> {
    const nowSeconds = this.now() / 1000;
    const pk = userKey(userId);
    const [recent, minutes, hours] = await Promise.all([
      this.recent(pk, nowSeconds),
      features.some((f) => f.endsWith('_1h')) ? this.buckets(pk, 'minute', nowSeconds) : NO_COUNTS,
      features.some((f) => f.endsWith('_24h') || f.endsWith('_7d'))
        ? this.buckets(pk, 'hour', nowSeconds)
        : NO_COUNTS,
    ]);
    if (recent.length === 0) return { id: userId, status: 'NOT_FOUND' };
    const wantsSession = features.includes('session_length') || features.includes('session_start');
    const session = wantsSession ? await this.session(pk, recent[0]!.sessionId) : undefined;
    return {
      id: userId,
      status: 'FOUND',
      features: userFeatures({ recent, minutes, hours, session }, features, nowSeconds),
    };
  }

  async readItem(
    itemId: string,
    features: readonly ItemFeatureName[] = ITEM_FEATURES,
  ): Promise<FeatureRow<ItemFeatureName>> {
    const nowSeconds = this.now() / 1000;
    const pk = itemKey(itemId);
    const [profile, minutes, hours] = await Promise.all([
      this.get(pk, 'P'),
      features.some((f) => f.endsWith('_1h')) ? this.buckets(pk, 'minute', nowSeconds) : NO_COUNTS,
      features.some((f) => f.endsWith('_24h') || f.endsWith('_7d'))
        ? this.buckets(pk, 'hour', nowSeconds)
        : NO_COUNTS,
    ]);
    if (!profile || typeof profile.lastAt !== 'number' || !(Number(profile.expiresAt) > nowSeconds)) {
      return { id: itemId, status: 'NOT_FOUND' };
    }
    const popularity = Object.entries(profile).flatMap(([name, value]) =>
      name.startsWith('p:') ? [[Number(name.slice(2)), Number(value)] as const] : [],
    );
    return {
      id: itemId,
      status: 'FOUND',
      features: itemFeatures(
        { minutes, hours, popularity, lastInteraction: profile.lastAt },
        features,
        nowSeconds,
        this.halfLife,
      ),
    };
  }

  async readBatch(request: BatchReadRequest): Promise<BatchReadResult> {
    const [users, items] = await Promise.all([
      mapLimit(request.users ?? [], this.concurrency, (id) => this.readUser(id, request.features?.user)),
      mapLimit(request.items ?? [], this.concurrency, (id) => this.readItem(id, request.features?.item)),
    ]);
    return { users, items };
  }

  /**
   * The `k` items with the highest decayed popularity now, best first (the memory store's ranking): reads
   * every trending row, one query per partition, so callers cache it (`refreshingLivePopularity`).
   */
  async topItems(k: number): Promise<ScoredItem[]> {
    const nowSeconds = this.now() / 1000;
    // Per partition, in partition order, so that equal scores rank the same on every call.
    const partitions = await mapLimit(
      Array.from({ length: TRENDING_SHARDS }, (_, n) => `TRENDING#${n}`),
      this.concurrency,
      async (pk) => {
        const rows: Record<string, unknown>[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const output = await this.send('dynamodb:Query', () =>
            this.client.send(
              new QueryCommand({
                TableName: this.table,
                KeyConditionExpression: 'pk = :pk',
                FilterExpression: 'expiresAt > :now',
                ExpressionAttributeValues: { ':pk': pk, ':now': nowSeconds },
                ...(start && { ExclusiveStartKey: start }),
              }),
            ),
          );
          rows.push(...(output.Items ?? []));
          start = output.LastEvaluatedKey;
        } while (start);
        return rows;
      },
    );
    const ids: string[] = [];
    const scores: number[] = [];
    for (const row of partitions.flat()) {
      const terms = Object.entries(row).flatMap(([name, value]) =>
        name.startsWith('p:') ? [[Number(name.slice(2)), Number(value)] as const] : [],
      );
      ids.push(String(row.sk));
      scores.push(decayedScore(terms, nowSeconds, this.halfLife));
    }
    const best = topK(Float32Array.from(scores), Math.min(k, ids.length));
    const ranked: ScoredItem[] = [];
    best.items.forEach((index, i) => {
      if (best.scores[i]! > 0) ranked.push({ itemId: ids[index]!, score: best.scores[i]! });
    });
    return ranked;
  }

  /** True when the event was applied now, false when its id already was. */
  private async applyOne(record: EventLogRecord): Promise<boolean> {
    const nowSeconds = this.now() / 1000;
    const at = Math.min(record.timestamp, nowSeconds);
    const actions: Record<string, unknown>[] = [
      {
        Put: {
          TableName: this.table,
          Item: {
            pk: `EVENT#${record.eventId}`,
            sk: 'EVENT',
            expiresAt: Math.ceil(nowSeconds + this.dedupeSeconds),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    const counters: Record<string, number> = { [`t:${record.eventType}`]: 1 };
    const category = record.itemId === null ? undefined : this.categoryOf?.(record.itemId);
    if (record.userId !== null) {
      const pk = userKey(record.userId);
      actions.push(
        ...this.bucketUpdates(
          pk,
          category === undefined ? counters : { ...counters, [`c:${category}`]: 1 },
          at,
          nowSeconds,
        ),
        {
          Put: {
            TableName: this.table,
            Item: {
              pk,
              sk: eventKey(record),
              eventId: record.eventId,
              eventType: record.eventType,
              itemId: record.itemId,
              sessionId: record.sessionId,
              timestamp: record.timestamp,
              expiresAt: Math.ceil(record.timestamp + this.ttl),
            },
          },
        },
        addUpdate(this.table, pk, `S#${record.sessionId}`, { length: 1 }, record.timestamp + this.ttl),
      );
    }
    if (record.itemId !== null) {
      const pk = itemKey(record.itemId);
      actions.push(...this.bucketUpdates(pk, counters, at, nowSeconds));
      const weight = this.weights[record.eventType] ?? 1;
      if (weight !== 0) {
        const term = decayTerm(at, weight, this.halfLife);
        const add = { [`p:${term.ref}`]: term.value };
        actions.push(
          addUpdate(this.table, pk, 'P', add),
          addUpdate(this.table, trendingKey(record.itemId), record.itemId, add, nowSeconds + this.ttl),
        );
      }
    }
    try {
      await withRetries(
        () => this.client.send(new TransactWriteCommand({ TransactItems: actions as never })),
        {
          maxAttempts: this.conflictAttempts,
          baseDelayMs: 10,
          maxDelayMs: 200,
          deadline: Number.POSITIVE_INFINITY,
          isRetryable: (error) => cancellationCodes(error).includes('TransactionConflict'),
          random: Math.random,
          ...(this.sleep && { sleep: this.sleep }),
        },
      );
    } catch (error) {
      if (cancellationCodes(error)[0] === 'ConditionalCheckFailed') return false;
      throw toAwsToolkitError(error, {
        action: 'dynamodb:TransactWriteItems',
        resource: `table ${this.table}`,
      });
    }
    await Promise.all([
      record.userId === null
        ? undefined
        : this.setIf(userKey(record.userId), `S#${record.sessionId}`, 'start', record.timestamp, '>'),
      record.itemId === null
        ? undefined
        : this.setIf(
            itemKey(record.itemId),
            'P',
            'lastAt',
            record.timestamp,
            '<',
            record.timestamp + this.ttl,
          ),
    ]);
    return true;
  }

  /** ADD updates of the minute and hour buckets holding `at`; none for a ring `at` is too old for. */
  private bucketUpdates(pk: string, counters: Record<string, number>, at: number, nowSeconds: number) {
    return (['minute', 'hour'] as const).flatMap((g) => {
      const bucket = bucketOf(at, g);
      const { capacity, seconds } = RING[g];
      if (bucket <= bucketOf(nowSeconds, g) - capacity) return [];
      return [addUpdate(this.table, pk, bucketKey(g, bucket), counters, (bucket + capacity + 1) * seconds)];
    });
  }

  /** Sets `attribute` to `value` when it is absent or `value` is newer (`<`) or older (`>`) than it. */
  private async setIf(
    pk: string,
    sk: string,
    attribute: string,
    value: number,
    keptWhen: '<' | '>',
    expiresAt?: number,
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk, sk },
          UpdateExpression: `SET #v = :v${expiresAt === undefined ? '' : ', expiresAt = :e'}`,
          ConditionExpression: `attribute_not_exists(#v) OR #v ${keptWhen} :v`,
          ExpressionAttributeNames: { '#v': attribute },
          ExpressionAttributeValues: {
            ':v': value,
            ...(expiresAt !== undefined && { ':e': Math.ceil(expiresAt) }),
          },
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return;
      throw toAwsToolkitError(error, { action: 'dynamodb:UpdateItem', resource: `table ${this.table}` });
    }
  }

  private async recent(pk: string, nowSeconds: number): Promise<KeptEvent[]> {
    const output = await this.send('dynamodb:Query', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: { ':pk': pk, ':e': 'E#', ':now': nowSeconds },
          ScanIndexForward: false,
          Limit: this.recentEvents,
        }),
      ),
    );
    return (output.Items ?? []).map((item) => ({
      eventId: String(item.eventId),
      eventType: String(item.eventType),
      itemId: typeof item.itemId === 'string' ? item.itemId : null,
      sessionId: String(item.sessionId),
      timestamp: Number(item.timestamp),
    }));
  }

  private async buckets(pk: string, g: Granularity, nowSeconds: number): Promise<CountSource> {
    const newest = bucketOf(nowSeconds, g);
    const output = await this.send('dynamodb:Query', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': pk,
            ':from': bucketKey(g, newest - RING[g].capacity + 1),
            ':to': bucketKey(g, newest),
          },
        }),
      ),
    );
    return bucketRecords(
      (output.Items ?? []).map((item) => ({ bucket: Number(String(item.sk).slice(2)), counts: item })),
    );
  }

  private async session(
    pk: string,
    sessionId: string,
  ): Promise<{ length: number; start: number } | undefined> {
    const item = await this.get(pk, `S#${sessionId}`);
    if (!item || typeof item.length !== 'number') return undefined;
    return { length: item.length, start: Number(item.start) };
  }

  private async get(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    const output = await this.send('dynamodb:GetItem', () =>
      this.client.send(new GetCommand({ TableName: this.table, Key: { pk, sk } })),
    );
    return output.Item;
  }

  private async send<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toAwsToolkitError(error, { action, resource: `table ${this.table}` });
    }
  }
}
