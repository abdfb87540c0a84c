import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, STAGE_OVERRIDES } from '../../cdk/config/default.ts';
import { deepMerge, loadConfig, parseConfig } from '../../cdk/config/load.ts';
import { generatedNames, PERSONALIZE_NAME_MAX } from '../../cdk/config/name-limits.ts';
import { InvalidInputError } from '../../src/errors.ts';

function failure(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError');
}

describe('Function: generatedNames', () => {
  it('keeps every name of every shipped stage within 63 characters', () => {
    for (const stage of ['dev', ...Object.keys(STAGE_OVERRIDES)]) {
      const config = parseConfig(
        deepMerge(deepMerge(DEFAULT_CONFIG, STAGE_OVERRIDES[stage] ?? {}), { batch: { enabled: true } }),
      );
      const names = generatedNames(config);
      // Every kind of resource the stacks and workflows name is covered.
      expect(names.map((n) => n.what)).toEqual(
        expect.arrayContaining(['dataset group', 'import job', 'batch inference job', 'interactions schema']),
      );
      for (const { name } of names) expect(name.length, name).toBeLessThanOrEqual(PERSONALIZE_NAME_MAX);
    }
  });
});

describe('Function: parseConfig (generated names)', () => {
  it('fails synth naming the project key when a generated name passes 63 characters', () => {
    // 40 characters pass the field's own check, but '-user-personalization-dev-<hash>' adds 34.
    const error = failure(() => parseConfig(deepMerge(DEFAULT_CONFIG, { project: 'p'.repeat(40) })));
    expect(error.issues[0]?.field).toBe('config.project');
    expect(error.message).toMatch(
      /userPersonalization solution name 'p{40}-user-personalization-dev-[0-9a-f]{8}' 74 characters long; Personalize allows 63: shorten it by 11/,
    );
  });

  it('names the filter whose generated name is too long', () => {
    const filters = [
      { name: 'f'.repeat(40), expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")' },
    ];
    const error = failure(() => parseConfig(deepMerge(DEFAULT_CONFIG, { project: 'p'.repeat(20), filters })));
    expect(error.issues.map((i) => i.field)).toContain('config.filters.0.name');
  });

  it('counts the batch job name only when the batch workflow is on', () => {
    // stack prefix 'p…p-dev' + '-' + a 36-character UUID: 27 + 37 = 64.
    const long = { project: 'p'.repeat(23) };
    expect(() => parseConfig(deepMerge(DEFAULT_CONFIG, long))).not.toThrow();
    const error = failure(() =>
      parseConfig(deepMerge(DEFAULT_CONFIG, { ...long, batch: { enabled: true } })),
    );
    expect(error.message).toMatch(/batch inference job name .* 64 characters long/);
  });

  it('accepts the default configuration of every stage', () => {
    expect(() => loadConfig({ stage: 'prod' })).not.toThrow();
    expect(() => loadConfig()).not.toThrow();
  });
});
