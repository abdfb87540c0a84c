/**
 * The events stream's consumer as deployed (cdk/lib/event-stream-stack.ts): Kinesis → the DynamoDB feature
 * table (FEATURE_TABLE_NAME) and PutEvents (PERSONALIZE_TRACKING_ID; without it, features only).
 * Environment: `LAMBDA_ENV.streamConsumer` in `src/config/lambda-env.ts`.
 */
import { SERVING_ENV } from '../../src/config/lambda-env.ts';
import { DynamoDbFeatureStore } from '../../src/features/dynamodb-feature-store.ts';
import { requiredString } from '../shared/env.ts';
import { personalizeFromEnv, telemetry } from '../shared/wiring.ts';
import { createStreamConsumerHandler } from './handler.ts';

const env = process.env;
const { logger, metrics } = telemetry('stream-consumer');
const recommender = personalizeFromEnv(env);

export const handler = createStreamConsumerHandler({
  featureStore: new DynamoDbFeatureStore({ tableName: requiredString(env, SERVING_ENV.featureTable) }),
  ...(recommender && { recommender }),
  logger,
  metrics,
});
