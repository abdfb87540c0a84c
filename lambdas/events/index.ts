/**
 * The events Lambda as deployed: `POST /events` → Personalize PutEvents (batches of ≤ 10, retried), failures to
 * the SQS dead-letter queue, users' recent events to the DynamoDB online store. Environment: `LAMBDA_ENV.events`
 * in `src/config/lambda-env.ts`.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { SERVING_ENV } from '../../src/config/lambda-env.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';
import { ConfigError } from '../../src/errors.ts';
import { SqsDeadLetterQueue } from '../../src/serving/dead-letter.ts';
import { positiveInteger, requiredString } from '../shared/env.ts';
import { corsFromEnv, onlineStoreFromEnv, personalizeFromEnv, telemetry } from '../shared/wiring.ts';
import { createEventsHandler } from './handler.ts';

const env = process.env;
requiredString(env, SERVING_ENV.trackingId);
const { logger, metrics } = telemetry('events');
// One attempt per PutEvents call here: the handler retries whole calls and dead-letters what still fails.
const recommender = personalizeFromEnv(env, { maxAttempts: 1 });
if (!recommender) throw new ConfigError(SERVING_ENV.trackingId, 'is required');

export const handler = createEventsHandler({
  recommender,
  deadLetters: new SqsDeadLetterQueue(new SQSClient({}), requiredString(env, SERVING_ENV.deadLetterQueueUrl)),
  onlineStore: onlineStoreFromEnv(env),
  maxAttempts: positiveInteger(env, SERVING_ENV.eventsMaxAttempts, 3),
  budgetMs: positiveInteger(env, SERVING_ENV.eventsBudgetMs, 3000),
  random: seededRandom(),
  logger,
  metrics,
  cors: corsFromEnv(env),
});
