/**
 * `npx tsx scripts/replay-dlq.ts [--queue-url <url>] [--max <n>]`: sends the events dead-lettered by the events
 * Lambda to Personalize again and deletes each message once stored. Reads the same environment as the Lambda
 * (PERSONALIZE_TRACKING_ID, EVENTS_DLQ_URL, AWS_REGION / AWS_PROFILE). Prints `{ replayed, events, failed }`;
 * exits 1 when any message failed again (it stays in the queue for the next run).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { Command } from 'commander';
import { requiredString } from '../lambdas/shared/env.ts';
import { ENV, personalizeFromEnv } from '../lambdas/shared/wiring.ts';
import { replayDeadLetters } from '../src/serving/dead-letter-replay.ts';

const options = new Command('replay-dlq')
  .description('replay dead-lettered PutEvents calls from the events DLQ')
  .option('--queue-url <url>', `the dead-letter queue (default: $${ENV.deadLetterQueueUrl})`)
  .option('--max <n>', 'stop after this many messages', (v) => Number.parseInt(v, 10))
  .parse()
  .opts<{ queueUrl?: string; max?: number }>();

try {
  const queueUrl = options.queueUrl ?? requiredString(process.env, ENV.deadLetterQueueUrl);
  requiredString(process.env, ENV.trackingId);
  const recommender = personalizeFromEnv(process.env);
  if (!recommender) throw new Error(`environment variable ${ENV.trackingId} is required`);
  const result = await replayDeadLetters({
    sqs: new SQSClient({}),
    queueUrl,
    recommender,
    ...(options.max !== undefined && { maxMessages: options.max }),
    onFailure: (id, error) => console.error(`message ${id} not replayed: ${(error as Error).message}`),
  });
  console.log(JSON.stringify(result));
  process.exitCode = result.failed > 0 ? 1 : 0;
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
