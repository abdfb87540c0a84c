/**
 * `npx tsx scripts/replay-dlq.ts [--queue-url <url>] [--max <n>]`: sends the events dead-lettered by the events
 * Lambda to the events stream again (EVENT_STREAM_NAME; or, without it, straight to Personalize with
 * PERSONALIZE_TRACKING_ID, for a deployment from before the stream) and deletes each message once stored.
 * Reads the same environment as the Lambda (EVENTS_DLQ_URL, AWS_REGION / AWS_PROFILE). Prints `{ replayed, events, failed }`;
 * exits 1 when any message failed again (it stays in the queue for the next run); other failures exit with
 * the codes of README "Exit codes".
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { optionalString, requiredQueueUrl } from '../lambdas/shared/env.ts';
import { personalizeFromEnv } from '../lambdas/shared/wiring.ts';
import { cliProgram, DEBUG_FLAG, EXIT_CODES, runCli } from '../src/cli/exit-codes.ts';
import { SERVING_ENV } from '../src/config/lambda-env.ts';
import { ConfigError } from '../src/errors.ts';
import { replayDeadLetters } from '../src/serving/dead-letter-replay.ts';
import { KinesisEventStream } from '../src/serving/kinesis-event-stream.ts';
import { positiveInt, sqsQueueUrl } from './cli/options.ts';

await runCli('replay-dlq', async () => {
  const options = cliProgram('replay-dlq')
    .description('replay dead-lettered PutEvents calls from the events DLQ')
    .option(
      '--queue-url <url>',
      `the dead-letter queue (default: $${SERVING_ENV.deadLetterQueueUrl})`,
      sqsQueueUrl,
    )
    .option('--max <n>', 'stop after this many messages', positiveInt)
    .option(...DEBUG_FLAG)
    .addHelpText(
      'after',
      [
        "\nEnvironment (the events Lambda's):",
        ...[
          [SERVING_ENV.deadLetterQueueUrl, 'the dead-letter queue, unless --queue-url is given'],
          [SERVING_ENV.eventStream, 'the events stream the events go back to; or, without it,'],
          [SERVING_ENV.trackingId, 'the event tracker to send them straight to Personalize with'],
          ['AWS_REGION', 'and AWS_PROFILE or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY'],
        ].map(([name = '', text = '']) => `  ${name.padEnd(24)} ${text}`),
      ].join('\n'),
    )
    .parse()
    .opts<{ queueUrl?: string; max?: number }>();
  const queueUrl = options.queueUrl ?? requiredQueueUrl(process.env, SERVING_ENV.deadLetterQueueUrl);
  const streamName = optionalString(process.env, SERVING_ENV.eventStream);
  const recommender =
    streamName === undefined
      ? personalizeFromEnv(process.env)
      : new KinesisEventStream({ client: new KinesisClient({}), streamName });
  if (!recommender)
    throw new ConfigError(SERVING_ENV.eventStream, `or ${SERVING_ENV.trackingId} is required`);
  const result = await replayDeadLetters({
    sqs: new SQSClient({}),
    queueUrl,
    recommender,
    ...(options.max !== undefined && { maxMessages: options.max }),
    onFailure: (id, error) =>
      process.stderr.write(`replay-dlq: message ${id} not replayed: ${(error as Error).message}\n`),
  });
  console.log(JSON.stringify(result));
  return result.failed > 0 ? EXIT_CODES.failed : EXIT_CODES.ok;
});
