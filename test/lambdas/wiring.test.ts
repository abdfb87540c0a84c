import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  positiveInteger,
  requiredChoice,
  requiredKeyedRecord,
  requiredString,
  stringRecord,
} from '../../lambdas/shared/env.ts';
import {
  breakerFromEnv,
  corsFromEnv,
  localEngineFromEnv,
  onlineStoreFromEnv,
  personalizeFromEnv,
} from '../../lambdas/shared/wiring.ts';
import { SERVING_ENV, WORKFLOW_ENV } from '../../src/config/lambda-env.ts';
import { ConfigError, UnavailableError } from '../../src/errors.ts';
import { PersonalizeRecommender } from '../../src/personalize/index.ts';
import { DATASET_TYPES } from '../../src/schemas/types.ts';
import { DynamoDbOnlineStore } from '../../src/serving/dynamodb-online-store.ts';
import type { LocalEngine } from '../../src/serving/local-engine.ts';

describe('Module: lambdas/shared/env', () => {
  const A = WORKFLOW_ENV.bucketName;
  const N = SERVING_ENV.timeoutMs;
  const F = SERVING_ENV.filterArns;

  it('reads trimmed values and names the variable it fails on', () => {
    expect(requiredString({ [A]: ' x ' }, A)).toBe('x');
    expect(() => requiredString({ [A]: '  ' }, A)).toThrow(`environment variable ${A} is required`);
    expect(positiveInteger({}, N, 7)).toBe(7);
    expect(() => positiveInteger({ [N]: '1.5' }, N, 7)).toThrow(`${N} must be a positive integer, got "1.5"`);
    expect(stringRecord({ [F]: '{"a":"arn:x"}' }, F)).toEqual({ a: 'arn:x' });
    expect(() => stringRecord({ [F]: '{"a":1}' }, F)).toThrow(`${F} must be a JSON object of strings`);
  });

  it('throws ConfigError carrying the variable and what it must hold', () => {
    const error = (() => {
      try {
        requiredString({}, A);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ name: 'ConfigError', variable: A, expected: 'is required' });
  });

  it('reads a choice and a keyed JSON record without trusting the value', () => {
    const M = WORKFLOW_ENV.importMode;
    const S = WORKFLOW_ENV.schemaArns;
    expect(requiredChoice({ [M]: 'FULL' }, M, ['FULL', 'INCREMENTAL'])).toBe('FULL');
    expect(() => requiredChoice({ [M]: 'full' }, M, ['FULL', 'INCREMENTAL'])).toThrow(
      `environment variable ${M} must be one of FULL, INCREMENTAL, got "full"`,
    );
    expect(requiredKeyedRecord({ [S]: '{"items":"arn:i"}' }, S, DATASET_TYPES)).toEqual({ items: 'arn:i' });
    expect(() => requiredKeyedRecord({ [S]: '{"item":"arn:i"}' }, S, DATASET_TYPES)).toThrow(
      `${S} must have keys among interactions, items, users (unknown: item)`,
    );
    expect(() => requiredKeyedRecord({ [S]: '[]' }, S, DATASET_TYPES)).toThrow(ConfigError);
    expect(() => requiredKeyedRecord({}, S, DATASET_TYPES)).toThrow(`${S} is required`);
  });
});

describe('Module: lambdas/shared/wiring', () => {
  it('leaves Personalize out when nothing of it is configured', () => {
    expect(personalizeFromEnv({})).toBeUndefined();
    expect(onlineStoreFromEnv({})).toBeUndefined();
    expect(corsFromEnv({})).toEqual({ allowOrigin: '*' });
  });

  it('builds Personalize, the online store and the breaker from their variables', () => {
    const env = {
      AWS_REGION: 'us-east-1',
      [SERVING_ENV.campaignUserPersonalization]: 'arn:aws:personalize:us-east-1:1:campaign/up',
      [SERVING_ENV.filterArns]: '{"category":"arn:aws:personalize:us-east-1:1:filter/category"}',
      [SERVING_ENV.onlineStoreTable]: 'recent-events',
      [SERVING_ENV.circuitFailureThreshold]: '2',
    };
    expect(personalizeFromEnv(env)).toBeInstanceOf(PersonalizeRecommender);
    expect(onlineStoreFromEnv(env)).toBeInstanceOf(DynamoDbOnlineStore);
    expect(breakerFromEnv(env).state).toBe('closed');
  });

  it('loads the local model once, lazily, and reports a failed load as unavailable', async () => {
    expect(() => localEngineFromEnv({}, async () => ({}) as LocalEngine)).toThrow(SERVING_ENV.modelArtifact);
    const dir = mkdtempSync(join(tmpdir(), 'wiring-model-'));
    const file = join(dir, 'model.bin');
    writeFileSync(file, 'v1');
    let loads = 0;
    const engine = {} as LocalEngine;
    const local = localEngineFromEnv({ [SERVING_ENV.modelArtifact]: file }, async (path) => {
      loads++;
      expect(path).toBe(file);
      return engine;
    });
    expect(loads).toBe(0);
    const [a, b] = await Promise.all([local(), local()]);
    expect(a).toBe(engine);
    expect(b).toBe(engine);
    expect(loads).toBe(1);
    rmSync(dir, { recursive: true, force: true });

    const failing = localEngineFromEnv({ [SERVING_ENV.modelArtifact]: join(dir, 'missing.bin') }, () =>
      Promise.reject(new Error('ENOENT')),
    );
    await expect(failing()).rejects.toBeInstanceOf(UnavailableError);
  });

  it('reads the model refresh interval, naming the variable when it is not a positive integer', () => {
    const env = { [SERVING_ENV.modelArtifact]: '/m.bin', [SERVING_ENV.modelRefreshSeconds]: 'soon' };
    expect(() => localEngineFromEnv(env, async () => ({}) as LocalEngine)).toThrow(
      SERVING_ENV.modelRefreshSeconds,
    );
  });
});
