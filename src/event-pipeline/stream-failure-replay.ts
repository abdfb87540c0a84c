import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { awsCall } from '../aws/aws-errors.ts';
import { InvalidInputError, ResourceNotFoundError } from '../errors.ts';

/**
 * What Lambda's Kinesis event source mapping sends its on-failure destination when a batch ran out of
 * retries: where the records are, not the records (`KinesisBatchInfo`).
 */
export interface KinesisBatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly batchSize?: number;
  readonly streamArn: string;
}

/** One stream record read back, as the consumer receives it. */
export interface StreamRecord {
  readonly streamArn: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  readonly approximateArrivalTimestamp: Date;
}

export interface StreamFailureReplayOptions {
  readonly sqs: SQSClient;
  /** The consumer's on-failure queue (the events stack's output ConsumerFailureQueueUrl). */
  readonly queueUrl: string;
  readonly kinesis: KinesisClient;
  /** Event ids of records already applied: skipped (the feature store's `appliedEventIds`). */
  readonly applied: (eventIds: readonly string[]) => Promise<Set<string>>;
  /** The event id in a record's data; undefined for a record that is not an event (the consumer reports it). */
  readonly eventIdOf: (data: Uint8Array) => string | undefined;
  /** Runs records through the consumer's logic and returns the sequence numbers that failed again. */
  readonly consume: (records: readonly StreamRecord[]) => Promise<readonly string[]>;
  /** Stop after this many messages (replayed or not). @default Infinity */
  readonly maxMessages?: number;
  /** Called per message that could not be replayed; it stays in the queue. */
  readonly onFailure?: (messageId: string, error: unknown) => void;
}

export interface StreamFailureReplayResult {
  /** Messages whose records are all applied now (and deleted from the queue). */
  readonly replayed: number;
  /** Records run through the consumer again. */
  readonly records: number;
  /** Records skipped because their event id was already applied. */
  readonly skipped: number;
  /** Messages left in the queue: their records failed again, were trimmed from the stream, or were unreadable. */
  readonly failed: number;
}

/** Kinesis sequence numbers are decimal strings of up to 128 bits: compare them as integers. */
const seq = (sequenceNumber: string) => BigInt(sequenceNumber);
/** GetRecords rounds of empty answers before a range is taken as read to the shard's current end. */
const MAX_EMPTY_ROUNDS = 20;

function batchInfoOf(body: string | undefined): KinesisBatchInfo {
  let parsed: { KinesisBatchInfo?: Partial<KinesisBatchInfo> };
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    throw new InvalidInputError([{ field: 'message body', message: 'is not JSON' }]);
  }
  const info = parsed.KinesisBatchInfo;
  for (const key of ['shardId', 'startSequenceNumber', 'endSequenceNumber', 'streamArn'] as const) {
    if (typeof info?.[key] !== 'string') {
      throw new InvalidInputError([
        { field: `KinesisBatchInfo.${key}`, message: 'is required: not a Kinesis on-failure record' },
      ]);
    }
  }
  return info as KinesisBatchInfo;
}

/**
 * The records of one failed batch, read back from the stream by shard and sequence range. ResourceNotFoundError when
 * the first of them is no longer in the stream (past its retention): the events are then only in the event
 * log (`events/dt=.../` in the data bucket).
 */
export async function readBatchRange(
  kinesis: KinesisClient,
  info: KinesisBatchInfo,
): Promise<StreamRecord[]> {
  const resource = `stream ${info.streamArn} ${info.shardId}`;
  const { ShardIterator } = await awsCall({ action: 'kinesis:GetShardIterator', resource }, () =>
    kinesis.send(
      new GetShardIteratorCommand({
        StreamARN: info.streamArn,
        ShardId: info.shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: info.startSequenceNumber,
      }),
    ),
  );
  const [start, end] = [seq(info.startSequenceNumber), seq(info.endSequenceNumber)];
  const records: StreamRecord[] = [];
  let iterator = ShardIterator;
  let emptyRounds = 0;
  while (iterator) {
    const current: string = iterator;
    const output: GetRecordsCommandOutput = await awsCall({ action: 'kinesis:GetRecords', resource }, () =>
      kinesis.send(new GetRecordsCommand({ ShardIterator: current, StreamARN: info.streamArn })),
    );
    for (const record of output.Records ?? []) {
      const at = seq(record.SequenceNumber!);
      if (at > end) return checked(records, info);
      if (at >= start) {
        records.push({
          streamArn: info.streamArn,
          shardId: info.shardId,
          sequenceNumber: record.SequenceNumber!,
          partitionKey: record.PartitionKey ?? '',
          data: record.Data ?? new Uint8Array(),
          approximateArrivalTimestamp: record.ApproximateArrivalTimestamp ?? new Date(0),
        });
      }
    }
    if ((output.Records ?? []).length === 0) {
      // Caught up with the shard (or a long empty stretch): the range cannot continue past this point.
      if (output.MillisBehindLatest === 0 || ++emptyRounds >= MAX_EMPTY_ROUNDS) break;
    } else {
      emptyRounds = 0;
    }
    if (records.at(-1)?.sequenceNumber === info.endSequenceNumber) break;
    iterator = output.NextShardIterator;
  }
  return checked(records, info);
}

function checked(records: StreamRecord[], info: KinesisBatchInfo): StreamRecord[] {
  if (records[0]?.sequenceNumber !== info.startSequenceNumber) {
    throw new ResourceNotFoundError(
      `records ${info.startSequenceNumber}..${info.endSequenceNumber} of ${info.shardId} are no longer in the stream ` +
        '(past its retention): recover them from the event log in the data bucket (events/dt=YYYY-MM-DD/)',
    );
  }
  return records;
}

/**
 * Drains the stream consumer's on-failure queue. Each message names a shard and a sequence range; the records
 * are read back from the stream (within its retention), those whose event id is already applied are skipped,
 * and the rest run through the consumer's logic. The message is deleted only when every record is applied;
 * otherwise it stays (visible again after its visibility timeout) and `onFailure` says why. Stops when a
 * receive returns nothing.
 */
export async function replayStreamFailures(
  options: StreamFailureReplayOptions,
): Promise<StreamFailureReplayResult> {
  const max = options.maxMessages ?? Number.POSITIVE_INFINITY;
  const queue = `queue ${options.queueUrl}`;
  const counts = { replayed: 0, records: 0, skipped: 0, failed: 0 };
  while (counts.replayed + counts.failed < max) {
    const { Messages = [] } = await awsCall({ action: 'sqs:ReceiveMessage', resource: queue }, () =>
      options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: Math.min(10, max - counts.replayed - counts.failed),
          WaitTimeSeconds: 1,
        }),
      ),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      try {
        const records = await readBatchRange(options.kinesis, batchInfoOf(message.Body));
        const ids = records.map((record) => options.eventIdOf(record.data));
        const applied = await options.applied(ids.filter((id): id is string => id !== undefined));
        const pending = records.filter((_, i) => !(ids[i] !== undefined && applied.has(ids[i]!)));
        const failedAgain = pending.length === 0 ? [] : await options.consume(pending);
        if (failedAgain.length > 0) {
          throw new Error(
            `${failedAgain.length} of ${pending.length} record(s) failed again (first ${failedAgain[0]}); see the consumer's log lines`,
          );
        }
        await awsCall({ action: 'sqs:DeleteMessage', resource: queue }, () =>
          options.sqs.send(
            new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }),
          ),
        );
        counts.replayed++;
        counts.records += pending.length;
        counts.skipped += records.length - pending.length;
      } catch (error) {
        counts.failed++;
        options.onFailure?.(message.MessageId ?? '?', error);
      }
    }
  }
  return counts;
}
