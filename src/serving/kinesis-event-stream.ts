import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { awsCall } from '../aws/aws-errors.ts';
import { RecentIds } from '../core/recent-ids.ts';
import { ThrottledError, UnavailableError } from '../errors.ts';
import type { EventLogRecord } from '../event-log/schema.ts';
import { toEventLogRecords } from '../event-log/to-record.ts';
import type { PutEventsRequest, Recommender } from '../recommender/types.ts';

export interface KinesisEventStreamOptions {
  readonly client: KinesisClient;
  readonly streamName: string;
  /**
   * Event ids the stream accepted, remembered so that a retried call puts only the records it refused.
   * @default 100_000
   */
  readonly rememberedEvents?: number;
  /** Arrival time written as `receivedAt`. @default - the clock */
  readonly now?: () => Date;
}

/** One stream record: the event-log line, keyed so that a user's (or else a session's) events stay in order. */
export function streamRecordOf(record: EventLogRecord): { Data: Uint8Array; PartitionKey: string } {
  return {
    Data: Buffer.from(JSON.stringify(record), 'utf8'),
    PartitionKey: record.userId ?? record.sessionId,
  };
}

/**
 * The events stream as a PutEvents target: each call's events become event-log records (schemas/event-log.json)
 * put with PutRecords, resolving only once the stream accepted every one. PutRecords accepts per record: the
 * refused ones (shard throughput, internal failure) make the call throw ThrottledError or UnavailableError,
 * which ingestion retries with backoff, and a retry sends only the refused records. What still fails is
 * dead-lettered by ingestion (`ingestEvents`), never dropped.
 */
export class KinesisEventStream implements Pick<Recommender, 'putEvents'> {
  private readonly accepted: RecentIds;
  private readonly now: () => Date;

  constructor(private readonly options: KinesisEventStreamOptions) {
    this.accepted = new RecentIds(options.rememberedEvents ?? 100_000);
    this.now = options.now ?? (() => new Date());
  }

  async putEvents(request: PutEventsRequest): Promise<void> {
    const records = this.recordsOf(request).filter((record) => !this.accepted.has(record.eventId));
    if (records.length === 0) return;
    const stream = this.options.streamName;
    const output = await awsCall({ action: 'kinesis:PutRecords', resource: `stream ${stream}` }, () =>
      this.options.client.send(
        new PutRecordsCommand({ StreamName: stream, Records: records.map(streamRecordOf) }),
      ),
    );
    const refused = new Map<string, number>();
    (output.Records ?? []).forEach((entry, i) => {
      if (entry.ErrorCode) refused.set(entry.ErrorCode, (refused.get(entry.ErrorCode) ?? 0) + 1);
      else this.accepted.add(records[i]!.eventId);
    });
    if (refused.size === 0) return;
    const count = [...refused.values()].reduce((a, b) => a + b, 0);
    const message = `the events stream ${stream} refused ${count} of ${records.length} record(s): ${[
      ...refused,
    ]
      .map(([code, n]) => `${n} ${code}`)
      .join(', ')}`;
    throw refused.has('ProvisionedThroughputExceededException')
      ? new ThrottledError(message)
      : new UnavailableError(message);
  }

  /** The records of a request, e.g. to reject one that cannot become event-log records before anything is put. */
  recordsOf(request: PutEventsRequest): EventLogRecord[] {
    return toEventLogRecords(
      {
        sessionId: request.sessionId,
        ...(request.userId !== undefined && { userId: request.userId }),
        events: request.eventList,
      },
      this.now(),
    );
  }
}
