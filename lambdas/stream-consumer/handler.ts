import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { RecentIds } from '../../src/core/recent-ids.ts';
import { type EventLogRecord, eventLogRecordSchema } from '../../src/event-log/schema.ts';
import { putEventsCalls } from '../../src/event-pipeline/consumers.ts';
import type { FeatureStore } from '../../src/features/types.ts';
import type { Recommender } from '../../src/recommender/types.ts';

export interface StreamConsumerDependencies {
  /** The online feature store; `apply` must be idempotent per event id (DynamoDB: conditional writes). */
  readonly featureStore: Pick<FeatureStore, 'apply'>;
  /** PutEvents, retrying throttling itself (PersonalizeRecommender with maxAttempts); absent: no tracker. */
  readonly recommender?: Pick<Recommender, 'putEvents'>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Event ids sent to PutEvents remembered by the container. @default 100_000 */
  readonly rememberedEvents?: number;
}

interface Decoded {
  readonly sequenceNumber: string;
  readonly record: EventLogRecord;
}

function decode(entry: KinesisStreamRecord): EventLogRecord | string {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(entry.kinesis.data, 'base64').toString('utf8'));
  } catch {
    return 'not JSON';
  }
  const parsed = eventLogRecordSchema.safeParse(json);
  return parsed.success
    ? parsed.data
    : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

/**
 * The Kinesis consumer of the events stream (event source mapping with ReportBatchItemFailures, bisect on
 * error, bounded retries and an on-failure destination). Every valid record goes to PutEvents in calls of at
 * most 10, then to the feature store; what failed is reported by sequence number, so Lambda retries from the
 * earliest failure and, once retries run out, sends the batch's range to the on-failure queue (replayed by
 * `replay-stream-failures`). A redelivered record is not counted twice (the store keeps event ids) nor sent
 * twice by a warm container (ids of sent calls are kept).
 */
export function createStreamConsumerHandler(deps: StreamConsumerDependencies) {
  const sent = new RecentIds(deps.rememberedEvents ?? 100_000);
  const { logger, metrics } = deps;

  return async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const failed = new Set<string>();
    const valid: Decoded[] = [];
    for (const entry of event.Records) {
      const decoded = decode(entry);
      if (typeof decoded === 'string') {
        // A poison record: reported alone, so bisection and the retry limit take it to the failure queue.
        logger.error('poison record', { sequenceNumber: entry.kinesis.sequenceNumber, reason: decoded });
        failed.add(entry.kinesis.sequenceNumber);
      } else {
        valid.push({ sequenceNumber: entry.kinesis.sequenceNumber, record: decoded });
      }
    }
    const sequenceOf = new Map(valid.map((v) => [v.record.eventId, v.sequenceNumber]));

    // PutEvents first, the feature store last: an event id the store holds has been through both, which is
    // what a replay of the failure queue skips (scripts/cli/replay-stream-failures.ts). A record whose
    // PutEvents failed is not applied, so its redelivery or replay sends it; one whose store update failed
    // after PutEvents is sent again only by a container that does not remember it (at least once), which
    // costs nothing: Personalize does not train on later duplicates of an eventId, and the local engine keeps
    // one event per eventId (src/local/recommender/live-histories.ts).
    const delivered: EventLogRecord[] = [];
    if (deps.recommender) {
      const fresh = valid.map((v) => v.record).filter((record) => !sent.has(record.eventId));
      const refused = new Set<string>();
      for (const call of putEventsCalls(fresh)) {
        try {
          await deps.recommender.putEvents(call);
          for (const e of call.eventList) sent.add(e.eventId!);
        } catch (error) {
          logger.error('PutEvents failed after retries', { error, sessionId: call.sessionId });
          for (const e of call.eventList) {
            refused.add(e.eventId!);
            failed.add(sequenceOf.get(e.eventId!)!);
          }
        }
      }
      delivered.push(...valid.map((v) => v.record).filter((record) => !refused.has(record.eventId)));
    } else {
      delivered.push(...valid.map((v) => v.record));
    }

    try {
      await deps.featureStore.apply(delivered);
    } catch (error) {
      logger.error('feature store update failed', { error });
      for (const record of delivered) failed.add(sequenceOf.get(record.eventId)!);
    }

    metrics.addMetric('StreamRecords', MetricUnit.Count, event.Records.length);
    metrics.addMetric('StreamRecordFailures', MetricUnit.Count, failed.size);
    metrics.publishStoredMetrics();
    return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
