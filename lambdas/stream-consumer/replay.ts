import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { eventLogRecordSchema } from '../../src/event-log/schema.ts';
import type { StreamRecord } from '../../src/event-pipeline/stream-failure-replay.ts';

type ConsumerHandler = (
  event: KinesisStreamEvent,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

/**
 * The consumer handler as the failure replay calls it (`replayStreamFailures`): records read back from the
 * stream become the event Lambda would have delivered, and the sequence numbers it reports come back.
 */
export function replayThroughConsumer(handler: ConsumerHandler) {
  return {
    consume: async (records: readonly StreamRecord[]): Promise<string[]> => {
      const reply = await handler({ Records: records.map(asLambdaRecord) });
      return reply.batchItemFailures.map((failure) => failure.itemIdentifier);
    },
    /** The event id of a record's data, when it is an event-log record (else the consumer reports it). */
    eventIdOf: (data: Uint8Array): string | undefined => {
      try {
        const parsed = eventLogRecordSchema.safeParse(JSON.parse(Buffer.from(data).toString('utf8')));
        return parsed.success ? parsed.data.eventId : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

function asLambdaRecord(record: StreamRecord): KinesisStreamRecord {
  const region = record.streamArn.split(':')[3] ?? '';
  return {
    kinesis: {
      data: Buffer.from(record.data).toString('base64'),
      sequenceNumber: record.sequenceNumber,
      partitionKey: record.partitionKey,
      kinesisSchemaVersion: '1.0',
      approximateArrivalTimestamp: record.approximateArrivalTimestamp.getTime() / 1000,
    },
    eventSource: 'aws:kinesis',
    eventSourceARN: record.streamArn,
    eventID: `${record.shardId}:${record.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    eventVersion: '1.0',
    invokeIdentityArn: '',
    awsRegion: region,
  };
}
