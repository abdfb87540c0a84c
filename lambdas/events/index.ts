/**
 * The events Lambda as deployed: `POST /events` → Personalize PutEvents (batches of ≤ 10, retried), failures to
 * the SQS dead-letter queue, users' recent events to the DynamoDB online store. Environment: `LAMBDA_ENV.events`
 * in `src/config/lambda-env.ts`.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { seededRandom } from '../../src/core/seeded-random.ts';
import { ConfigError } from '../../src/errors.ts';
import { SqsDeadLetterQueue } from '../../src/serving/dead-letter.ts';
import { positiveInteger, requiredString } from '../shared/env.ts';
import { corsFromEnv, ENV, onlineStoreFromEnv, personalizeFromEnv, telemetry } from '../shared/wiring.ts';
import { createEventsHandler } from './handler.ts';

const env = process.env;
requiredString(env, ENV.trackingId);
const { logger, metrics } = telemetry('events');
// One attempt per PutEvents call here: the handler retries whole calls and dead-letters what still fails.
const recommender = personalizeFromEnv(env, { maxAttempts: 1 });
if (!recommender) throw new ConfigError(ENV.trackingId, 'is required');

export const handler = createEventsHandler({
  recommender,
  deadLetters: new SqsDeadLetterQueue(new SQSClient({}), requiredString(env, ENV.deadLetterQueueUrl)),
  onlineStore: onlineStoreFromEnv(env),
  maxAttempts: positiveInteger(env, ENV.eventsMaxAttempts, 3),
  budgetMs: positiveInteger(env, ENV.eventsBudgetMs, 3000),
  random: seededRandom(),
  logger,
  metrics,
  cors: corsFromEnv(env),
});
