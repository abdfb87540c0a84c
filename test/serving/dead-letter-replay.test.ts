import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ThrottledError } from '../../src/errors.ts';
import type { PutEventsRequest } from '../../src/recommender/types.ts';
import { type DeadLetterRecord, serializePutEvents } from '../../src/serving/dead-letter.ts';
import { replayDeadLetters } from '../../src/serving/dead-letter-replay.ts';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/events-dlq';
const sqs = mockClient(SQSClient);

function message(id: string, sessionId: string) {
  const record: DeadLetterRecord = {
    kind: 'PutEvents',
    request: serializePutEvents({
      sessionId,
      userId: 'u1',
      eventList: [
        { eventId: `${id}-e`, eventType: 'click', itemId: 'i1', sentAt: new Date(1_700_000_000_500) },
      ],
    }),
    error: { name: 'ThrottledError', message: 'slow down' },
    attempts: 3,
    failedAt: '2026-01-01T00:00:00.000Z',
    requestId: 'r1',
  };
  return { MessageId: id, ReceiptHandle: `handle-${id}`, Body: JSON.stringify(record) };
}

beforeEach(() => sqs.reset());

describe('Function: replayDeadLetters', () => {
  it('replays each PutEvents request, deletes it on success and keeps the failures', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [message('m1', 's1'), message('m2', 'fails'), { MessageId: 'm3', Body: 'garbage' }],
      })
      .resolves({ Messages: [] });
    sqs.on(DeleteMessageCommand).resolves({});
    const replayed: PutEventsRequest[] = [];
    const failures: string[] = [];
    const result = await replayDeadLetters({
      sqs: new SQSClient({ region: 'us-east-1' }),
      queueUrl: QUEUE,
      recommender: {
        putEvents: async (request) => {
          if (request.sessionId === 'fails') throw new ThrottledError('still throttled');
          replayed.push(request);
        },
      },
      onFailure: (id) => failures.push(id),
    });
    expect(result).toEqual({ replayed: 1, events: 1, failed: 2 });
    expect(replayed[0]).toEqual({
      sessionId: 's1',
      userId: 'u1',
      eventList: [{ eventId: 'm1-e', eventType: 'click', itemId: 'i1', sentAt: new Date(1_700_000_000_500) }],
    });
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual([
      'handle-m1',
    ]);
    expect(failures).toEqual(['m2', 'm3']);
  });

  it('stops after maxMessages', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [message('m1', 's1')] });
    sqs.on(DeleteMessageCommand).resolves({});
    const result = await replayDeadLetters({
      sqs: new SQSClient({ region: 'us-east-1' }),
      queueUrl: QUEUE,
      recommender: { putEvents: async () => undefined },
      maxMessages: 2,
    });
    expect(result).toEqual({ replayed: 2, events: 2, failed: 0 });
    expect(sqs.commandCalls(ReceiveMessageCommand)[1]?.args[0].input.MaxNumberOfMessages).toBe(1);
  });
});
