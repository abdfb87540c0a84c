import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { awsCall } from '../aws/aws-errors.ts';
import { openObject } from '../aws/s3-transfer.ts';
import { asFolder, type S3Location, s3Uri } from '../aws/s3-uri.ts';
import { partitionsBetween } from './partition.ts';
import { DEFAULT_LATENESS_SECONDS, type EventLogLine, parseEventLogLines } from './reader.ts';

export interface ReadS3EventLogOptions {
  readonly s3: S3Client;
  /** The log's prefix, under which Firehose writes `dt=YYYY-MM-DD/` (e.g. `s3://bucket/events/`). */
  readonly location: S3Location;
  /** Events with `from ≤ timestamp < to` (epoch seconds). */
  readonly from: number;
  readonly to: number;
  /** @default 2 days (see readEventLog) */
  readonly latenessSeconds?: number;
}

async function* keysUnder(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<string> {
  let token: string | undefined;
  do {
    const page = await awsCall(
      { action: 's3:ListBucket', resource: `bucket ${bucket} (prefix ${prefix})` },
      () => s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })),
    );
    for (const object of page.Contents ?? []) if (object.Key && !object.Key.endsWith('/')) yield object.Key;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

/**
 * The S3 twin of `readEventLog`: lists only the date partitions the range can touch and streams each object
 * one line at a time, in key order. Firehose's object names carry no `.jsonl`, so every object counts.
 */
export async function* readS3EventLog(options: ReadS3EventLogOptions): AsyncGenerator<EventLogLine> {
  const { s3, from, to } = options;
  const root = asFolder(options.location);
  const lastDay = to + (options.latenessSeconds ?? DEFAULT_LATENESS_SECONDS);
  for (const partition of partitionsBetween(from, lastDay)) {
    const prefix = `${root.key}${partition}/`;
    const keys: string[] = [];
    for await (const key of keysUnder(s3, root.bucket, prefix)) keys.push(key);
    for (const key of keys.sort()) {
      const location = { bucket: root.bucket, key };
      yield* parseEventLogLines(await openObject(s3, location), s3Uri(location), from, to);
    }
  }
}
