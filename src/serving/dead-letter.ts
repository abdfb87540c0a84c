import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { awsCall } from '../aws/aws-errors.ts';
import type { InteractionEvent, PutEventsRequest } from '../recommender/types.ts';

/** A PutEvents request in JSON: `sentAt` as Unix epoch seconds, which the contract's validation accepts back. */
export interface SerializedPutEvents {
  readonly sessionId: string;
  readonly userId?: string;
  readonly eventList: (Omit<InteractionEvent, 'sentAt'> & { readonly sentAt: number })[];
}

/** One dead-lettered PutEvents call: enough to replay it and to know why it failed. */
export interface DeadLetterRecord {
  readonly kind: 'PutEvents';
  readonly request: SerializedPutEvents;
  readonly error: { readonly name: string; readonly message: string };
  /** Attempts made before giving up. */
  readonly attempts: number;
  readonly failedAt: string;
  /** The API request that carried the events, to find its log lines. */
  readonly requestId: string;
}

/** Where events go that could not be stored. */
export interface DeadLetterQueue {
  send(record: DeadLetterRecord): Promise<void>;
}

export function serializePutEvents(request: PutEventsRequest): SerializedPutEvents {
  return {
    sessionId: request.sessionId,
    ...(request.userId !== undefined && { userId: request.userId }),
    eventList: request.eventList.map((event) => ({ ...event, sentAt: event.sentAt.getTime() / 1000 })),
  };
}

/** The dead-letter queue in SQS: one message per failed PutEvents call, its body the JSON record. */
export class SqsDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(record: DeadLetterRecord): Promise<void> {
    await awsCall({ action: 'sqs:SendMessage', resource: `queue ${this.queueUrl}` }, () =>
      this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: JSON.stringify(record),
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: record.kind },
            requestId: { DataType: 'String', StringValue: record.requestId },
          },
        }),
      ),
    );
  }
}
