/**
 * The events Lambda as deployed: `POST /events` → the Kinesis events stream (EVENT_STREAM_NAME; PutRecords in
 * calls of ≤ 10 events, refused records retried), what the stream still refuses to the SQS dead-letter queue,
 * users' recent events to the DynamoDB online store. The stream consumer (lambdas/stream-consumer) sends them
 * on to PutEvents and the feature table. Environment: `LAMBDA_ENV.events` in `src/config/lambda-env.ts`.
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SERVING_ENV } from '../../src/config/lambda-env.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';
import { SqsDeadLetterQueue } from '../../src/serving/dead-letter.ts';
import { KinesisEventStream } from '../../src/serving/kinesis-event-stream.ts';
import { positiveInteger, requiredQueueUrl, requiredString } from '../shared/env.ts';
import { corsFromEnv, onlineStoreFromEnv, telemetry } from '../shared/wiring.ts';
import { createEventsHandler } from './handler.ts';

const env = process.env;
const { logger, metrics } = telemetry('events');

export const handler = createEventsHandler({
  // One SDK attempt per PutRecords call: ingestion retries whole calls (only the refused records) within
  // its budget, and dead-letters what still fails.
  recommender: new KinesisEventStream({
    client: new KinesisClient({ maxAttempts: 1 }),
    streamName: requiredString(env, SERVING_ENV.eventStream),
  }),
  deadLetters: new SqsDeadLetterQueue(
    new SQSClient({}),
    requiredQueueUrl(env, SERVING_ENV.deadLetterQueueUrl),
  ),
  onlineStore: onlineStoreFromEnv(env),
  maxAttempts: positiveInteger(env, SERVING_ENV.eventsMaxAttempts, 3),
  budgetMs: positiveInteger(env, SERVING_ENV.eventsBudgetMs, 3000),
  random: seededRandom(),
  logger,
  metrics,
  cors: corsFromEnv(env),
});
