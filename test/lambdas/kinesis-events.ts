import type { PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

export const STREAM_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/personalize-events-dev';

/** A record as Lambda's Kinesis event source mapping delivers it. */
export function kinesisRecord(
  data: Uint8Array | string,
  sequenceNumber: string,
  partitionKey = 'u1',
  shardId = 'shardId-000000000000',
): KinesisStreamRecord {
  return {
    kinesis: {
      data: Buffer.from(data).toString('base64'),
      sequenceNumber,
      partitionKey,
      kinesisSchemaVersion: '1.0',
      approximateArrivalTimestamp: 1_700_000_000,
    },
    eventSource: 'aws:kinesis',
    eventSourceARN: STREAM_ARN,
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    eventVersion: '1.0',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/consumer',
    awsRegion: 'us-east-1',
  };
}

/** What PutRecords put, as the batches (of at most `batchSize`) the event source mapping invokes with. */
export function deliveredBatches(
  entries: readonly PutRecordsRequestEntry[],
  batchSize = 100,
): KinesisStreamEvent[] {
  const records = entries.map((entry, i) =>
    kinesisRecord(entry.Data!, String(i).padStart(21, '0'), entry.PartitionKey),
  );
  const batches: KinesisStreamEvent[] = [];
  for (let start = 0; start < records.length; start += batchSize)
    batches.push({ Records: records.slice(start, start + batchSize) });
  return batches;
}
