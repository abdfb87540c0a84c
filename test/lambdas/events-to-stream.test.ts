import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEventsHandler } from '../../lambdas/events/handler.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';
import { ThrottledError, UnavailableError } from '../../src/errors.ts';
import { type EventLogRecord, eventLogRecordSchema } from '../../src/event-log/schema.ts';
import { type DeadLetterRecord, SqsDeadLetterQueue } from '../../src/serving/dead-letter.ts';
import { KinesisEventStream } from '../../src/serving/kinesis-event-stream.ts';
import { recordingTelemetry } from '../serving/telemetry.ts';
import { apiEvent, bodyOf } from './events.ts';

const STREAM = 'personalize-events-dev';
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/events-dlq';
const kinesis = mockClient(KinesisClient);
const sqs = mockClient(SQSClient);
const RECEIVED = new Date(1_700_000_100_000);

const entriesOf = (call: number) =>
  (kinesis.commandCalls(PutRecordsCommand)[call]?.args[0].input.Records ?? []) as PutRecordsRequestEntry[];
const decode = (entry: PutRecordsRequestEntry): EventLogRecord =>
  eventLogRecordSchema.parse(JSON.parse(Buffer.from(entry.Data!).toString('utf8')));

/** PutRecords answers: every record accepted except those `refuse` names (by item id) with an error code. */
function answerPutRecords(refuse: (record: EventLogRecord, call: number) => string | undefined) {
  let call = 0;
  kinesis.on(PutRecordsCommand).callsFake((input: { Records: PutRecordsRequestEntry[] }) => {
    const n = call++;
    const records = input.Records.map((entry, i) => {
      const code = refuse(decode(entry), n);
      return code
        ? { ErrorCode: code, ErrorMessage: 'refused' }
        : { SequenceNumber: `${n}-${i}`, ShardId: 's-0' };
    });
    return { FailedRecordCount: records.filter((r) => 'ErrorCode' in r).length, Records: records };
  });
}

function events(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    eventType: 'purchase',
    itemId: `i${i}`,
    sentAt: 1_700_000_000 + i,
    properties: { device: 'mobile' },
  }));
}

function setup() {
  const telemetry = recordingTelemetry();
  const stream = new KinesisEventStream({
    client: new KinesisClient({ region: 'us-east-1' }),
    streamName: STREAM,
    now: () => RECEIVED,
  });
  const handler = createEventsHandler({
    recommender: stream,
    deadLetters: new SqsDeadLetterQueue(new SQSClient({ region: 'us-east-1' }), QUEUE),
    random: seededRandom(3),
    sleep: async () => undefined,
    logger: telemetry.logger,
    metrics: telemetry.metrics,
  });
  return { handler, stream };
}

beforeEach(() => {
  kinesis.reset();
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
});

describe('Class: KinesisEventStream', () => {
  it('puts event-log records keyed by the user, or by the session when the user is anonymous', async () => {
    answerPutRecords(() => undefined);
    const { stream } = setup();
    await stream.putEvents({
      sessionId: 's1',
      userId: 'u1',
      eventList: [{ eventType: 'click', itemId: 'i1', sentAt: new Date(1_700_000_000_000) }],
    });
    await stream.putEvents({
      sessionId: 's2',
      eventList: [{ eventType: 'click', itemId: 'i2', sentAt: new Date(1_700_000_000_000) }],
    });
    expect(kinesis.commandCalls(PutRecordsCommand)[0]?.args[0].input.StreamName).toBe(STREAM);
    expect(entriesOf(0).map((e) => e.PartitionKey)).toEqual(['u1']);
    expect(entriesOf(1).map((e) => e.PartitionKey)).toEqual(['s2']);
    expect(decode(entriesOf(0)[0]!)).toMatchObject({
      userId: 'u1',
      sessionId: 's1',
      itemId: 'i1',
      timestamp: 1_700_000_000,
      receivedAt: 1_700_000_100,
    });
  });

  it('throws ThrottledError naming the stream and the count when records are refused, then resends only those', async () => {
    answerPutRecords((record, call) =>
      call === 0 && ['i1', 'i3'].includes(record.itemId!)
        ? 'ProvisionedThroughputExceededException'
        : undefined,
    );
    const { stream } = setup();
    const request = {
      sessionId: 's1',
      userId: 'u1',
      eventList: events(5).map((e) => ({ ...e, sentAt: new Date(e.sentAt * 1000) })),
    };
    const failure = await stream.putEvents(request).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ThrottledError);
    expect((failure as Error).message).toBe(
      `the events stream ${STREAM} refused 2 of 5 record(s): 2 ProvisionedThroughputExceededException`,
    );
    await stream.putEvents(request);
    expect(entriesOf(1).map((e) => decode(e).itemId)).toEqual(['i1', 'i3']);
    await stream.putEvents(request);
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(2);
  });

  it('reports an internal failure of the stream as UnavailableError (retried like an outage)', async () => {
    answerPutRecords(() => 'InternalFailure');
    const { stream } = setup();
    const failure = await stream
      .putEvents({ sessionId: 's1', eventList: [{ eventType: 'click', sentAt: new Date(0) }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnavailableError);
  });
});

describe('POST /events into the stream (the events Lambda as deployed)', () => {
  it('answers 200 only once the stream accepted every event, refused records retried alone', async () => {
    answerPutRecords((record, call) =>
      call === 0 && record.itemId === 'i4' ? 'InternalFailure' : undefined,
    );
    const { handler } = setup();
    const result = await handler(
      apiEvent('POST', '/events', { sessionId: 's1', userId: 'u1', events: events(12) }),
    );
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ stored: 12, deadLettered: 0, lost: 0 });
    const put = kinesis.commandCalls(PutRecordsCommand).flatMap((c) => c.args[0].input.Records ?? []);
    expect(put.map((e) => decode(e).itemId).sort()).toEqual(
      [...events(12).map((e) => e.itemId), 'i4'].sort(),
    );
    expect(decode(put[0]!).context).toEqual({ DEVICE: 'mobile' });
  });

  it('dead-letters (202) what the stream keeps refusing, nothing lost, the rest stored', async () => {
    answerPutRecords((record) =>
      record.itemId === 'i11' ? 'ProvisionedThroughputExceededException' : undefined,
    );
    const { handler } = setup();
    const result = await handler(
      apiEvent('POST', '/events', { sessionId: 's1', userId: 'u1', events: events(12) }),
    );
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toMatchObject({ stored: 10, deadLettered: 2, lost: 0 });
    const [letter] = sqs
      .commandCalls(SendMessageCommand)
      .map((c) => JSON.parse(c.args[0].input.MessageBody ?? '') as DeadLetterRecord);
    expect(letter).toMatchObject({ kind: 'PutEvents', attempts: 3, error: { name: 'ThrottledError' } });
    expect(letter?.request.eventList.map((e) => e.itemId)).toEqual(['i10', 'i11']);
  });

  it('answers 503 naming the events at risk when the stream and the dead-letter queue both fail', async () => {
    kinesis
      .on(PutRecordsCommand)
      .rejects(Object.assign(new Error('down'), { name: 'InternalFailure', $fault: 'server' }));
    sqs.reset();
    sqs.on(SendMessageCommand).rejects(new Error('SQS down'));
    const { handler } = setup();
    const result = await handler(apiEvent('POST', '/events', { sessionId: 's1', events: events(3) }));
    expect(result.statusCode).toBe(503);
    expect(bodyOf(result)).toMatchObject({ stored: 0, lost: 3 });
    expect(bodyOf(result).message).toBe('3 event(s) could not be stored nor queued; resend the batch');
  });

  it('refuses (400) a property that cannot become an event-log column, before anything is put', async () => {
    answerPutRecords(() => undefined);
    const { handler } = setup();
    const result = await handler(
      apiEvent('POST', '/events', {
        sessionId: 's1',
        events: [{ eventType: 'click', sentAt: 1_700_000_000, properties: { 'screen-size': 'xl' } }],
      }),
    );
    expect(result.statusCode).toBe(400);
    expect(JSON.stringify(bodyOf(result))).toContain('events.0.properties.screen-size');
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(0);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });
});
