import { type SessionEvents, toEventLogRecords } from '../event-log/to-record.ts';
import type { EventLogWriter } from '../event-log/writer.ts';
import type { FeatureStore } from '../features/types.ts';
import type { PutEventsRequest, Recommender } from '../recommender/types.ts';
import { eventLogConsumer, featureStoreConsumer, recommenderConsumer } from './consumers.ts';
import { EventPipeline, type EventPipelineOptions } from './event-pipeline.ts';
import type { EventConsumer } from './types.ts';

export interface LocalEventPipelineOptions extends Omit<EventPipelineOptions, 'consumers'> {
  readonly featureStore: Pick<FeatureStore, 'apply'>;
  /** Receives PutEvents calls (the local engine). */
  readonly recommender: Pick<Recommender, 'putEvents'>;
  /** Where the event log goes. @default - no event log */
  readonly eventLog?: Pick<EventLogWriter, 'write'>;
}

export interface LocalEventPipeline {
  readonly pipeline: EventPipeline;
  /**
   * Turns one validated `POST /events` batch into event-log records and queues them; ThrottledError when
   * the stream is full. Returns the records (with their ids) that were queued.
   */
  ingest(batch: SessionEvents, receivedAt?: Date): ReturnType<typeof toEventLogRecords>;
  /**
   * PutEvents into the pipeline, resolving once every consumer has the events: give it to the events
   * handler as its recommender, and a `GET` right after a `POST /events` already sees them. Events without
   * an id get the content-derived one.
   */
  putEvents(request: PutEventsRequest): Promise<void>;
}

/**
 * The real-time pipeline of `npm start`: POST /events → stream → feature store, event log, and the local
 * engine's PutEvents, started and ready. Stop it with `pipeline.stop()` (delivers what is queued).
 */
export function createLocalEventPipeline(options: LocalEventPipelineOptions): LocalEventPipeline {
  const { featureStore, recommender, eventLog, ...rest } = options;
  const consumers: EventConsumer[] = [featureStoreConsumer(featureStore), recommenderConsumer(recommender)];
  if (eventLog) consumers.push(eventLogConsumer(eventLog));
  const pipeline = new EventPipeline({ ...rest, consumers });
  pipeline.start();
  return {
    pipeline,
    ingest(batch, receivedAt = new Date()) {
      const records = toEventLogRecords(batch, receivedAt);
      pipeline.offer(records);
      return records;
    },
    async putEvents(request) {
      const batch = {
        sessionId: request.sessionId,
        ...(request.userId !== undefined && { userId: request.userId }),
        events: request.eventList,
      };
      await pipeline.publishAndWait(toEventLogRecords(batch, new Date()));
    },
  };
}
