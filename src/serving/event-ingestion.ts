import type { Logger } from '@aws-lambda-powertools/logger';
import { RecentIds } from '../core/recent-ids.ts';
import { withRetries } from '../core/retry.ts';
import { isTransient } from '../errors.ts';
import { withEventIds } from '../recommender/event-ids.ts';
import { LIMITS } from '../recommender/limits.ts';
import { timestampWarnings } from '../recommender/timestamp-rule.ts';
import type { InteractionEvent, PutEventsRequest, Recommender } from '../recommender/types.ts';
import { type DeadLetterQueue, serializePutEvents } from './dead-letter.ts';
import type { EventsBatch } from './http/schemas.ts';
import { type OnlineStore, toRecentEvents } from './online-store.ts';

export interface EventIngestionOptions {
  /** Receives PutEvents calls of at most 10 events (Personalize, or the local model). */
  readonly recommender: Pick<Recommender, 'putEvents'>;
  readonly deadLetters: DeadLetterQueue;
  readonly onlineStore?: OnlineStore;
  readonly logger: Logger;
  /**
   * Attempts per PutEvents call; only throttling and outages are retried.
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * Time for all attempts of one batch; no retry starts after it.
   * @default 3000
   */
  readonly budgetMs?: number;
  /** Uniform [0, 1) source of the backoff jitter. */
  readonly random: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Ids of events already stored (ids derive from content, so a resent event has the same id): a resent event
   * is counted as a duplicate and not stored again. Only stored events are remembered, never dead-lettered or
   * lost ones, which the caller or the replay sends again.
   * @default - a fresh set of the last 100,000 ids per ingestion (createEventsHandler keeps one per handler)
   */
  readonly storedEvents?: RecentIds;
}

/** What became of a batch's events; `stored + duplicates + deadLettered + lost` is the batch size. */
export interface IngestionResult {
  readonly stored: number;
  /** Already stored (sent before, or twice in this batch): not stored again. */
  readonly duplicates: number;
  /** Stored, but probably wrong: `sentAt` more than a day in the future (the timestamp rule). */
  readonly warnings?: readonly string[];
  readonly deadLettered: number;
  /** Neither stored nor dead-lettered (the dead-letter queue failed too): the caller must send them again. */
  readonly lost: number;
}

/**
 * Stores one session's batch of events: PutEvents calls of ≤ 10 events in parallel, transient failures retried
 * with jittered backoff, and whatever still fails sent to the dead-letter queue with the request, the error and
 * the attempt count. Never reports an event as stored that was not. The user's events also go to the online
 * store (best effort: that store is a cache of recent history, not the record).
 */
export async function ingestEvents(
  batch: EventsBatch,
  requestId: string,
  options: EventIngestionOptions,
): Promise<IngestionResult> {
  const stored = options.storedEvents ?? new RecentIds(100_000);
  const inBatch = new Set<string>();
  const events = withEventIds(batch.sessionId, batch.events).filter((event) => {
    const id = event.eventId!;
    if (stored.has(id) || inBatch.has(id)) return false;
    inBatch.add(id);
    return true;
  });
  const duplicates = batch.events.length - events.length;
  const deadline = Date.now() + (options.budgetMs ?? 3000);
  const calls: PutEventsRequest[] = [];
  for (let start = 0; start < events.length; start += LIMITS.eventList.max) {
    calls.push({
      sessionId: batch.sessionId,
      ...(batch.userId !== undefined && { userId: batch.userId }),
      eventList: events.slice(start, start + LIMITS.eventList.max),
    });
  }
  const [outcomes] = await Promise.all([
    Promise.all(calls.map((call) => storeOrDeadLetter(call, requestId, deadline, options))),
    recordRecent(batch.userId, events, options),
  ]);
  outcomes.forEach((outcome, i) => {
    if (outcome === 'stored') for (const event of calls[i]?.eventList ?? []) stored.add(event.eventId!);
  });
  const count = (kind: Outcome) =>
    outcomes.reduce((sum, outcome, i) => sum + (outcome === kind ? (calls[i]?.eventList.length ?? 0) : 0), 0);
  const warnings = timestampWarnings(
    'events sentAt',
    batch.events.map((event) => event.sentAt.getTime() / 1000),
  );
  if (warnings.length > 0) options.logger.warn('events with suspicious timestamps', { warnings });
  return {
    stored: count('stored'),
    duplicates,
    deadLettered: count('dead-lettered'),
    lost: count('lost'),
    ...(warnings.length > 0 && { warnings }),
  };
}

type Outcome = 'stored' | 'dead-lettered' | 'lost';

async function storeOrDeadLetter(
  call: PutEventsRequest,
  requestId: string,
  deadline: number,
  options: EventIngestionOptions,
): Promise<Outcome> {
  let attempts = 0;
  try {
    await withRetries(
      () => {
        attempts++;
        return options.recommender.putEvents(call);
      },
      {
        maxAttempts: options.maxAttempts ?? 3,
        baseDelayMs: 50,
        maxDelayMs: 1000,
        deadline,
        isRetryable: isTransient,
        random: options.random,
        ...(options.sleep && { sleep: options.sleep }),
      },
    );
    return 'stored';
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    try {
      await options.deadLetters.send({
        kind: 'PutEvents',
        request: serializePutEvents(call),
        error: { name: failure.name, message: failure.message },
        attempts,
        failedAt: new Date().toISOString(),
        requestId,
      });
      options.logger.warn('events dead-lettered', {
        events: call.eventList.length,
        attempts,
        error: failure,
      });
      return 'dead-lettered';
    } catch (dlqError) {
      options.logger.error('events neither stored nor dead-lettered', {
        events: call.eventList.length,
        error: failure,
        deadLetterError: dlqError,
      });
      return 'lost';
    }
  }
}

async function recordRecent(
  userId: string | undefined,
  events: readonly InteractionEvent[],
  options: EventIngestionOptions,
): Promise<void> {
  if (!options.onlineStore || userId === undefined) return;
  try {
    await options.onlineStore.record(userId, toRecentEvents(events));
  } catch (error) {
    options.logger.warn('online store write failed; the fallback will miss these recent events', { error });
  }
}
