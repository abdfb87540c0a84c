import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { RecentIds } from '../../src/core/recent-ids.ts';
import { toEventLogRecords } from '../../src/event-log/to-record.ts';
import { type EventIngestionOptions, ingestEvents } from '../../src/serving/event-ingestion.ts';
import { type CorsPolicy, parseEventsBody } from '../../src/serving/http/index.ts';
import { type ApiAnswer, type ApiProxyHandler, createApiHandler } from '../shared/api-handler.ts';

export interface EventsDependencies extends Omit<EventIngestionOptions, 'logger'> {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly cors?: CorsPolicy;
}

/**
 * `POST /events` with `{ sessionId, userId?, events: [...] }` (1..100 events, each validated as PutEvents would,
 * and as an event-log record: property keys must become column names). `recommender` is where events are
 * stored: the events stream in the cloud (KinesisEventStream), the in-process pipeline locally.
 * 200: every event stored. 202: some were dead-lettered and will be replayed (`npm run replay-dlq`), none lost.
 * 503: some events were neither stored nor dead-lettered (`lost`); resend the batch, which is safe because
 * events without an eventId get one derived from their content.
 */
export function createEventsHandler(deps: EventsDependencies): ApiProxyHandler {
  const { metrics, cors, ...rest } = deps;
  // One memory of stored event ids per handler (per warm Lambda container, per npm start): a client resending
  // a batch after a timeout gets its events counted as duplicates instead of stored twice.
  const ingestion = { storedEvents: new RecentIds(100_000), ...rest };
  return createApiHandler({
    lambda: 'events',
    logger: deps.logger,
    metrics,
    ...(cors && { cors }),
    implementations: {
      recordEvents: async ({ body, requestId }): Promise<ApiAnswer> => {
        const batch = parseEventsBody(body);
        // Refused here (400) rather than failing each store attempt and being dead-lettered.
        toEventLogRecords(batch, new Date());
        const result = await ingestEvents(batch, requestId, ingestion);
        if (result.deadLettered > 0)
          metrics.addMetric('EventsDeadLettered', MetricUnit.Count, result.deadLettered);
        if (result.lost > 0) {
          metrics.addMetric('EventsLost', MetricUnit.Count, result.lost);
          return {
            status: 503,
            body: {
              message: `${result.lost} event(s) could not be stored nor queued; resend the batch`,
              ...result,
            },
          };
        }
        return { status: result.deadLettered > 0 ? 202 : 200, body: { ...result } };
      },
    },
  });
}
