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
  ANONYMOUS_SK,
  addUpdate,
  anonymousSessionKey,
  bucketKey,
  cancellationCodes,
  eventKey,
  itemKey,
  REMEMBERED_PREFIX,
  RING,
  TRENDING_SHARDS,
  trendingKey,
  userKey,
} from './dynamodb-layout.ts';
import { mapLimit } from './map-limit.ts';
import type { ScoredItem } from './memory-feature-store.ts';
import { countedAt, itemFeatures, type KeptEvent, userFeatures } from './snapshot.ts';
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
 * | `A#<sessionId>` | `A` | an anonymous session's newest `recentEvents` events, `e:<eventId>` each, until a login |
 * | `EVENT#<eventId>` | `USER` | the marker of an anonymous event applied to the user its session logged in as |
 * | `I#<item>` | `P` | popularity terms `p:<ref>` (ADD, see decay.ts) and the last interaction |
 * | `TRENDING#<n>` | `<item>` | the same popularity terms again, one partition of 8 per item hash: `topItems` |
 *
 * Each event is one transaction: the marker (condition `attribute_not_exists`) with every counter update,
 * so a redelivered event is refused whole and a failed one leaves nothing behind (retrying is safe). The
 * last-interaction and session-start values (a max and a min, which DynamoDB cannot ADD) follow with
 * conditional writes. Every item carries `expiresAt` for TTL; reads ignore expired items TTL has not yet
 * removed.
 *
 * An anonymous event's transaction also writes it into its session's item (so a redelivery, refused by the
 * marker, never writes it again); the item is trimmed to the newest `recentEvents` after each batch. An
 * event with a userId first applies its session's remembered events to the user (user-side actions only,
 * each a transaction with its own `USER` marker, so a retried join never counts one twice), then removes
 * them from the session's item.
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

  /**
   * Runs of anonymous and of user events one after the other, each run in parallel: a login's join then
   * sees the anonymous events before it in the batch and none after, as the memory store does.
   */
  async apply(records: readonly EventLogRecord[]): Promise<ApplyResult> {
    let applied = 0;
    for (const run of anonymityRuns(records)) {
      const anonymous = run[0]!.userId === null;
      if (!anonymous) await this.joinSessions(run);
      const outcomes = await mapLimit(run, this.concurrency, (record) => this.applyOne(record));
      applied += outcomes.filter(Boolean).length;
      if (anonymous) {
        const written = new Set(run.filter((_, i) => outcomes[i]).map((record) => record.sessionId));
        await mapLimit([...written], this.concurrency, (sessionId) => this.trimSession(sessionId));
      }
    }
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
  private async applyOne(logged: EventLogRecord): Promise<boolean> {
    const nowSeconds = this.now() / 1000;
    const record = countedAt(logged, nowSeconds);
    const actions = [this.marker(record.eventId, 'EVENT', nowSeconds)];
    const counters: Record<string, number> = { [`t:${record.eventType}`]: 1 };
    if (record.userId !== null) actions.push(...this.userActions(record.userId, record, nowSeconds));
    else actions.push(this.rememberAction(record, nowSeconds));
    if (record.itemId !== null) {
      const pk = itemKey(record.itemId);
      actions.push(...this.bucketUpdates(pk, counters, record.timestamp, nowSeconds));
      const weight = this.weights[record.eventType] ?? 1;
      if (weight !== 0) {
        const term = decayTerm(record.timestamp, weight, this.halfLife);
        const add = { [`p:${term.ref}`]: term.value };
        actions.push(
          addUpdate(this.table, pk, 'P', add),
          addUpdate(this.table, trendingKey(record.itemId), record.itemId, add, nowSeconds + this.ttl),
        );
      }
    }
    if (!(await this.transact(actions))) return false;
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

  /** The idempotency marker of one application of an event (`EVENT`, or `USER` for a joined one). */
  private marker(eventId: string, sk: 'EVENT' | 'USER', nowSeconds: number): Record<string, unknown> {
    return {
      Put: {
        TableName: this.table,
        Item: { pk: `EVENT#${eventId}`, sk, expiresAt: Math.ceil(nowSeconds + this.dedupeSeconds) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** The event's updates of the user's counters, recent events and session. */
  private userActions(userId: string, event: KeptEvent, nowSeconds: number): Record<string, unknown>[] {
    const pk = userKey(userId);
    const counters: Record<string, number> = { [`t:${event.eventType}`]: 1 };
    const category = event.itemId === null ? undefined : this.categoryOf?.(event.itemId);
    if (category !== undefined) counters[`c:${category}`] = 1;
    return [
      ...this.bucketUpdates(pk, counters, event.timestamp, nowSeconds),
      {
        Put: {
          TableName: this.table,
          Item: {
            pk,
            sk: eventKey(event),
            eventId: event.eventId,
            eventType: event.eventType,
            itemId: event.itemId,
            sessionId: event.sessionId,
            timestamp: event.timestamp,
            expiresAt: Math.ceil(event.timestamp + this.ttl),
          },
        },
      },
      addUpdate(this.table, pk, `S#${event.sessionId}`, { length: 1 }, event.timestamp + this.ttl),
    ];
  }

  /** Writes an anonymous event into its session's item, for the user the session may log in as. */
  private rememberAction(record: EventLogRecord, nowSeconds: number): Record<string, unknown> {
    return {
      Update: {
        TableName: this.table,
        Key: { pk: anonymousSessionKey(record.sessionId), sk: ANONYMOUS_SK },
        UpdateExpression: 'SET #e = :e, expiresAt = :expiresAt',
        ExpressionAttributeNames: { '#e': `${REMEMBERED_PREFIX}${record.eventId}` },
        ExpressionAttributeValues: {
          ':e': { eventType: record.eventType, itemId: record.itemId, timestamp: record.timestamp },
          ':expiresAt': Math.ceil(nowSeconds + this.ttl),
        },
      },
    };
  }

  /** Joins each session of a run of user events to the user of its first event there. */
  private async joinSessions(run: readonly EventLogRecord[]): Promise<void> {
    const users = new Map<string, string>();
    for (const record of run) if (!users.has(record.sessionId)) users.set(record.sessionId, record.userId!);
    await mapLimit([...users], this.concurrency, ([sessionId, userId]) => this.join(sessionId, userId));
  }

  /**
   * Applies the session's remembered events (the newest `recentEvents` within the TTL) to the user, oldest
   * first, then forgets them. Their item features were counted when they arrived.
   */
  private async join(sessionId: string, userId: string): Promise<void> {
    const nowSeconds = this.now() / 1000;
    const events = await this.remembered(sessionId, nowSeconds);
    if (events.length === 0) return;
    const carried = events
      .slice(0, this.recentEvents)
      .filter((event) => event.timestamp + this.ttl > nowSeconds)
      .reverse();
    // Counters, recent events and the session start commute, so the joined events may go in parallel.
    await mapLimit(carried, this.concurrency, async (event) => {
      await this.transact([
        this.marker(event.eventId, 'USER', nowSeconds),
        ...this.userActions(userId, event, nowSeconds),
      ]);
      // Also after a refused marker: a join retried after a failure here still sets the start (a min).
      await this.setIf(userKey(userId), `S#${sessionId}`, 'start', event.timestamp, '>');
    });
    await this.forget(sessionId, events);
  }

  /** Removes the remembered events beyond the newest `recentEvents`, keeping the item's size bounded. */
  private async trimSession(sessionId: string): Promise<void> {
    const events = await this.remembered(sessionId, this.now() / 1000);
    await this.forget(sessionId, events.slice(this.recentEvents));
  }

  /** The session's remembered events, newest first (equal times: the greater id first). */
  private async remembered(sessionId: string, nowSeconds: number): Promise<KeptEvent[]> {
    const output = await this.send('dynamodb:GetItem', () =>
      this.client.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: anonymousSessionKey(sessionId), sk: ANONYMOUS_SK },
          // A login right after its session's anonymous batch must see that batch.
          ConsistentRead: true,
        }),
      ),
    );
    const item = output.Item;
    if (!item || !(Number(item.expiresAt) > nowSeconds)) return [];
    const events: KeptEvent[] = [];
    for (const [name, value] of Object.entries(item)) {
      if (!name.startsWith(REMEMBERED_PREFIX)) continue;
      const fields = value as { eventType?: unknown; itemId?: unknown; timestamp?: unknown };
      events.push({
        eventId: name.slice(REMEMBERED_PREFIX.length),
        eventType: String(fields.eventType),
        itemId: typeof fields.itemId === 'string' ? fields.itemId : null,
        sessionId,
        timestamp: Number(fields.timestamp),
      });
    }
    return events.sort(
      (a, b) => b.timestamp - a.timestamp || (a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0),
    );
  }

  /** Removes these events from the session's item (never creating it: the condition). */
  private async forget(sessionId: string, events: readonly KeptEvent[]): Promise<void> {
    if (events.length === 0) return;
    const names = Object.fromEntries(
      events.map((event, i) => [`#r${i}`, `${REMEMBERED_PREFIX}${event.eventId}`]),
    );
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: anonymousSessionKey(sessionId), sk: ANONYMOUS_SK },
          UpdateExpression: `REMOVE ${Object.keys(names).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return;
      throw toAwsToolkitError(error, { action: 'dynamodb:UpdateItem', resource: `table ${this.table}` });
    }
  }

  /** Runs the transaction; false when its marker (the first action) was already written. */
  private async transact(actions: readonly Record<string, unknown>[]): Promise<boolean> {
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

/** The batch cut where it switches between anonymous events and events with a user, order kept. */
function anonymityRuns(records: readonly EventLogRecord[]): EventLogRecord[][] {
  const runs: EventLogRecord[][] = [];
  for (const record of records) {
    const last = runs.at(-1);
    if (last && (last[0]!.userId === null) === (record.userId === null)) last.push(record);
    else runs.push([record]);
  }
  return runs;
}
