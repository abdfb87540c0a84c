import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { awsCall } from '../aws/aws-errors.ts';
import { validatePutEvents } from '../recommender/request-validation.ts';
import type { Recommender } from '../recommender/types.ts';
import type { DeadLetterRecord } from './dead-letter.ts';

export interface ReplayOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly recommender: Pick<Recommender, 'putEvents'>;
  /**
   * Stop after this many messages (replayed or not).
   * @default Infinity
   */
  readonly maxMessages?: number;
  /** Called per message that could not be replayed; it stays in the queue (it reappears after its visibility timeout). */
  readonly onFailure?: (messageId: string, error: unknown) => void;
}

export interface ReplayResult {
  readonly replayed: number;
  readonly events: number;
  readonly failed: number;
}

/**
 * Drains the events dead-letter queue: each message's PutEvents request is sent again and the message deleted
 * once that succeeds. Messages that fail again stay in the queue. Stops when a receive returns nothing.
 */
export async function replayDeadLetters(options: ReplayOptions): Promise<ReplayResult> {
  const max = options.maxMessages ?? Number.POSITIVE_INFINITY;
  let replayed = 0;
  let events = 0;
  let failed = 0;
  const queue = `queue ${options.queueUrl}`;
  while (replayed + failed < max) {
    const { Messages = [] } = await awsCall({ action: 'sqs:ReceiveMessage', resource: queue }, () =>
      options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: Math.min(10, max - replayed - failed),
          WaitTimeSeconds: 1,
        }),
      ),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      try {
        const record = JSON.parse(message.Body ?? '') as DeadLetterRecord;
        const request = validatePutEvents(record.request);
        await options.recommender.putEvents(request);
        await awsCall({ action: 'sqs:DeleteMessage', resource: queue }, () =>
          options.sqs.send(
            new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }),
          ),
        );
        replayed++;
        events += request.eventList.length;
      } catch (error) {
        failed++;
        options.onFailure?.(message.MessageId ?? '(no id)', error);
      }
    }
  }
  return { replayed, events, failed };
}
