import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createStreamConsumerHandler } from '../../lambdas/stream-consumer/handler.ts';
import { replayThroughConsumer } from '../../lambdas/stream-consumer/replay.ts';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { SERVING_ENV } from '../../src/config/lambda-env.ts';
import { ConfigError } from '../../src/errors.ts';
import { replayStreamFailures } from '../../src/event-pipeline/stream-failure-replay.ts';
import { DynamoDbFeatureStore } from '../../src/features/dynamodb-feature-store.ts';
import { PersonalizeRecommender } from '../../src/personalize/personalize-recommender.ts';
import type { ReplayStreamFailuresFlags } from './commands.ts';

/**
 * The stream consumer's on-failure queue → the consumer's logic again, as the deployed consumer runs it (the
 * feature table and PutEvents with the tracker). Prints `{ replayed, records, skipped, failed }`; exits 1 when
 * a message failed again (it stays in the queue for the next run).
 */
export async function replayStreamFailuresCommand(flags: ReplayStreamFailuresFlags): Promise<number> {
  const tableName = flags.featureTable ?? process.env[SERVING_ENV.featureTable];
  if (!tableName) throw new ConfigError(SERVING_ENV.featureTable, 'is required (or --feature-table)');
  const trackingId = flags.trackingId ?? process.env[SERVING_ENV.trackingId];
  // Without the tracker the replay would mark events applied that Personalize never got.
  if (!trackingId) throw new ConfigError(SERVING_ENV.trackingId, 'is required (or --tracking-id)');
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const featureStore = new DynamoDbFeatureStore({ tableName });
  const handler = createStreamConsumerHandler({
    featureStore,
    recommender: new PersonalizeRecommender({
      campaigns: {},
      trackingId,
      filters: {},
      timeoutMs: 3000,
      maxAttempts: 3,
    }),
    logger: new Logger({ serviceName: 'replay-stream-failures', logLevel: 'ERROR' }),
    metrics: new Metrics({ serviceName: 'replay-stream-failures', namespace: 'PersonalizeToolkit' }),
  });
  const result = await replayStreamFailures({
    sqs: new SQSClient({}),
    queueUrl: flags.queueUrl,
    kinesis: new KinesisClient({}),
    applied: (ids) => featureStore.appliedEventIds(ids),
    ...replayThroughConsumer(handler),
    ...(flags.max !== undefined && { maxMessages: flags.max }),
    onFailure: (id, error) =>
      process.stderr.write(
        `replay-stream-failures: message ${id} not replayed: ${(error as Error).message}\n`,
      ),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result.failed > 0 ? EXIT_CODES.failed : EXIT_CODES.ok;
}
