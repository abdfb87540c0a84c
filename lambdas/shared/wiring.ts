/**
 * The Lambdas' default dependencies, built from environment variables (the CDK stack sets them). Every
 * variable is in `SERVING_ENV` (src/config/lambda-env.ts); each reader names the variable it failed on.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { RUNTIME_ENV, SERVING_ENV } from '../../src/config/lambda-env.ts';
import { UnavailableError } from '../../src/errors.ts';
import { DynamoDbFeatureStore } from '../../src/features/dynamodb-feature-store.ts';
import type { LiveItemRanking } from '../../src/features/live-popularity.ts';
import { MemoryFeatureStore } from '../../src/features/memory-feature-store.ts';
import type { FeatureStore } from '../../src/features/types.ts';
import { PersonalizeRecommender } from '../../src/personalize/personalize-recommender.ts';
import { CircuitBreaker } from '../../src/serving/circuit-breaker.ts';
import { DynamoDbOnlineStore } from '../../src/serving/dynamodb-online-store.ts';
import { fallsThrough } from '../../src/serving/fallback-recommender.ts';
import type { CorsPolicy } from '../../src/serving/http/response.ts';
import type { LocalEngine } from '../../src/serving/local-engine.ts';
import { modelArtifactSource } from '../../src/serving/model-artifact.ts';
import type { OnlineStore } from '../../src/serving/online-store.ts';
import { refreshingShared } from '../../src/serving/refreshing-shared.ts';
import { type Env, optionalString, positiveInteger, requiredString, stringRecord } from './env.ts';

/** Powertools reads POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_LOG_LEVEL itself. */
export function telemetry(serviceName: string) {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({
      serviceName,
      namespace: optionalString(process.env, RUNTIME_ENV.powertoolsMetricsNamespace) ?? 'PersonalizeToolkit',
    }),
  };
}

export function corsFromEnv(env: Env): CorsPolicy {
  return { allowOrigin: optionalString(env, SERVING_ENV.corsAllowOrigin) ?? '*' };
}

/** Personalize, when at least one campaign or a tracking id is configured; else undefined (local model only). */
export function personalizeFromEnv(env: Env, defaults: { maxAttempts?: number } = {}) {
  const campaigns = {
    userPersonalization: optionalString(env, SERVING_ENV.campaignUserPersonalization),
    similarItems: optionalString(env, SERVING_ENV.campaignSimilarItems),
    personalizedRanking: optionalString(env, SERVING_ENV.campaignPersonalizedRanking),
  };
  const trackingId = optionalString(env, SERVING_ENV.trackingId);
  if (!Object.values(campaigns).some(Boolean) && trackingId === undefined) return undefined;
  return new PersonalizeRecommender({
    campaigns: Object.fromEntries(Object.entries(campaigns).filter(([, arn]) => arn !== undefined)),
    ...(trackingId !== undefined && { trackingId }),
    filters: stringRecord(env, SERVING_ENV.filterArns),
    timeoutMs: positiveInteger(env, SERVING_ENV.timeoutMs, 1000),
    maxAttempts: positiveInteger(env, SERVING_ENV.maxAttempts, defaults.maxAttempts ?? 3),
  });
}

/** The filters the local model serves by name: `FILTER_EXPRESSIONS={"category":"INCLUDE ItemID WHERE …"}`. */
export function filterDefinitionsFromEnv(env: Env): { name: string; expression: string }[] {
  return Object.entries(stringRecord(env, SERVING_ENV.filterExpressions)).map(([name, expression]) => ({
    name,
    expression,
  }));
}

export function onlineStoreFromEnv(env: Env): OnlineStore | undefined {
  const tableName = optionalString(env, SERVING_ENV.onlineStoreTable);
  if (tableName === undefined) return undefined;
  return new DynamoDbOnlineStore({
    tableName,
    ttlSeconds: positiveInteger(env, SERVING_ENV.onlineStoreTtlDays, 30) * 24 * 3600,
  });
}

/**
 * The online feature store the FeatureRead routes and live popularity read: the DynamoDB table the stream
 * consumer fills, or, without one, an empty store (every entity NOT_FOUND, no live activity) so the routes
 * still answer as documented.
 */
export function featureStoreFromEnv(env: Env): FeatureStore & LiveItemRanking {
  const tableName = optionalString(env, SERVING_ENV.featureTable);
  return tableName === undefined ? new MemoryFeatureStore() : new DynamoDbFeatureStore({ tableName });
}

export function breakerFromEnv(env: Env): CircuitBreaker {
  return new CircuitBreaker({
    failureThreshold: positiveInteger(env, SERVING_ENV.circuitFailureThreshold, 5),
    windowMs: positiveInteger(env, SERVING_ENV.circuitWindowMs, 10_000),
    coolDownMs: positiveInteger(env, SERVING_ENV.circuitCoolDownMs, 30_000),
    isFailure: fallsThrough,
  });
}

/**
 * The local model, loaded on first use and shared by every request of the container: from S3 in the cloud
 * (`s3://bucket/key`), from a path locally. Every MODEL_REFRESH_SECONDS (default 300) the next request
 * checks the artifact's version in the background and swaps in a retrained model without a cold start.
 */
export function localEngineFromEnv(
  env: Env,
  load: (path: string) => Promise<LocalEngine>,
  onRefreshError?: (error: unknown) => void,
): () => Promise<LocalEngine> {
  const location = requiredString(env, SERVING_ENV.modelArtifact);
  const checkEveryMs = positiveInteger(env, SERVING_ENV.modelRefreshSeconds, 300) * 1000;
  const shared = refreshingShared(modelArtifactSource(location, load), { checkEveryMs, onRefreshError });
  return async () => {
    try {
      return await shared();
    } catch (error) {
      throw new UnavailableError(`the local model could not be loaded from ${location}`, { cause: error });
    }
  };
}
