import { describe, expect, it } from 'vitest';
import { dataLambdaTmpMiB, MAX_DATASET_GIB } from '../../cdk/config/data-lambda-storage.ts';
import { DEFAULT_CONFIG } from '../../cdk/config/default.ts';
import { deepMerge, parseConfig } from '../../cdk/config/load.ts';
import { templatesOf } from './templates-fixture.ts';

describe('Data Lambdas and /tmp', () => {
  it('sizes /tmp of both data Lambdas from training.maxDatasetGiB', async () => {
    // Arrange: a 6 GiB run, far beyond the 512 MiB default that used to fail mid-copy.
    const config = parseConfig(deepMerge(DEFAULT_CONFIG, { training: { maxDatasetGiB: 6 } }));

    // Act
    const { training } = await templatesOf(config);

    // Assess
    const functions = Object.values(training.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const storageOf = (description: string) =>
      functions.find((f) => String(f.Properties?.Description).startsWith(description))?.Properties
        ?.EphemeralStorage;
    expect(storageOf('Streams a training run')).toEqual({ Size: 6 * 1024 + 512 });
    expect(storageOf('Trains the local fallback model')).toEqual({ Size: 6 * 1024 + 512 });
  });

  it('keeps /tmp within Lambda’s 512..10240 MiB', () => {
    expect(dataLambdaTmpMiB(0.001)).toBe(514);
    expect(dataLambdaTmpMiB(MAX_DATASET_GIB)).toBe(10240);
  });

  it('refuses a dataset larger than /tmp can hold, naming the key and the limit', () => {
    expect(() =>
      parseConfig(deepMerge(DEFAULT_CONFIG, { training: { maxDatasetGiB: MAX_DATASET_GIB + 1 } })),
    ).toThrow(/training\.maxDatasetGiB.*9\.5/);
  });
});
