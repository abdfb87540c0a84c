import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  LAMBDA_ENV,
  type LambdaEnvName,
  RUNTIME_ENV,
  SERVING_ENV,
  WORKFLOW_ENV,
} from '../../src/config/lambda-env.ts';

const KNOWN = new Set<string>([
  ...Object.values(SERVING_ENV),
  ...Object.values(WORKFLOW_ENV),
  ...Object.values(RUNTIME_ENV),
]);

/** A valid value for every variable, so each reader reads as far as it can. */
const VALUES: Record<LambdaEnvName, string> = {
  ...Object.fromEntries([...KNOWN].map((name) => [name, '5'])),
  [SERVING_ENV.campaignUserPersonalization]: 'arn:aws:personalize:us-east-1:1:campaign/up',
  [SERVING_ENV.campaignSimilarItems]: 'arn:aws:personalize:us-east-1:1:campaign/sims',
  [SERVING_ENV.campaignPersonalizedRanking]: 'arn:aws:personalize:us-east-1:1:campaign/ranking',
  [SERVING_ENV.filterArns]: '{}',
  [SERVING_ENV.trackingId]: 'tracking-id',
  [SERVING_ENV.modelArtifact]: '/nowhere/model.bin',
  [SERVING_ENV.filterExpressions]: '{}',
  [SERVING_ENV.onlineStoreTable]: 'recent-events',
  [SERVING_ENV.deadLetterQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/1/dlq',
  [SERVING_ENV.corsAllowOrigin]: '*',
  [WORKFLOW_ENV.bucketName]: 'bucket',
  [WORKFLOW_ENV.importMode]: 'FULL',
  [WORKFLOW_ENV.jobNamePrefix]: 'p-',
  [WORKFLOW_ENV.datasetArns]: '{"interactions":"arn:d"}',
  [WORKFLOW_ENV.schemaArns]: '{"interactions":"arn:s"}',
  [WORKFLOW_ENV.modelArtifactKey]: 'models/model.bin',
  [RUNTIME_ENV.nodeOptions]: '',
  [RUNTIME_ENV.powertoolsServiceName]: 'test',
  [RUNTIME_ENV.powertoolsMetricsNamespace]: 'Test',
} as Record<LambdaEnvName, string>;

const original = process.env;
afterEach(() => {
  process.env = original;
});

/** Loads a handler module afresh with `env` as process.env and returns the variable names it read. */
async function namesRead(entry: string, env: Record<string, string>): Promise<Set<string>> {
  const read = new Set<string>();
  process.env = new Proxy(
    { ...original, AWS_REGION: 'us-east-1', ...env },
    {
      get(target, name, receiver) {
        if (typeof name === 'string') read.add(name);
        return Reflect.get(target, name, receiver);
      },
    },
  );
  vi.resetModules();
  await import(`../../${entry}`);
  process.env = original;
  return new Set([...read].filter((name) => KNOWN.has(name)));
}

describe('Module: src/config/lambda-env', () => {
  it.each(Object.entries(LAMBDA_ENV))(
    '%s reads exactly the variables its entry declares',
    async (_, spec) => {
      const declared = new Set<string>([...spec.required, ...spec.optional]);

      const read = await namesRead(spec.entry, VALUES);

      expect([...read].filter((name) => !declared.has(name))).toEqual([]);
      // With every variable set, every declared one is read: a name no longer read would be stale.
      expect([...declared].filter((name) => !read.has(name))).toEqual([]);
    },
    30_000,
  );

  it.each(
    Object.entries(LAMBDA_ENV).flatMap(([lambda, spec]) =>
      spec.required.map((name) => [lambda, name, spec.entry] as const),
    ),
  )('%s fails at load, naming %s, when it is unset', async (_, name, entry) => {
    const { [name]: _unset, ...env } = VALUES;

    await expect(namesRead(entry, env)).rejects.toThrow(`environment variable ${name}`);
  });
});

describe('Lambda: events', () => {
  it('fails at load, naming EVENTS_DLQ_URL, when the queue URL is malformed (before any SQS call)', async () => {
    const env = { ...VALUES, [SERVING_ENV.deadLetterQueueUrl]: 'notaurl' };

    await expect(namesRead(LAMBDA_ENV.events.entry, env)).rejects.toThrow(
      `environment variable ${SERVING_ENV.deadLetterQueueUrl}`,
    );
  });
});
