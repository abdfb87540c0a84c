import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../cdk/config/default.ts';
import { deepMerge, loadConfig, parseConfig } from '../../cdk/config/load.ts';
import { resourceNames } from '../../cdk/config/names.ts';
import { InvalidInputError } from '../../src/errors.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cdk-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).issues.map((i) => i.field);
  }
  throw new Error('expected an InvalidInputError');
}

describe('Function: loadConfig', () => {
  it('returns the embedded dev configuration with no options', () => {
    const config = loadConfig();
    expect(config.stage).toBe('dev');
    expect(Object.keys(config.solutions)).toEqual([
      'userPersonalization',
      'similarItems',
      'personalizedRanking',
    ]);
    expect(config.training.metricGate.metricName).toBe('normalized_discounted_cumulative_gain_at_10');
    expect(config.solutions.userPersonalization?.performAutoTraining).toBe(false);
  });

  it('layers the prod stage over the defaults', () => {
    const config = loadConfig({ stage: 'prod' });
    expect(config.stage).toBe('prod');
    expect(config.dataRetention).toBe('RETAIN');
    expect(config.solutions.userPersonalization?.campaign.minProvisionedTps).toBe(5);
    expect(config.solutions.userPersonalization?.recipeArn).toContain('aws-user-personalization');
  });

  it('layers a JSON file over the stage', () => {
    const file = join(scratch, 'override.json');
    writeFileSync(file, JSON.stringify({ filters: [], training: { metricGate: { tolerance: 0.05 } } }));
    const config = loadConfig({ stage: 'prod', file });
    expect(config.filters).toEqual([]);
    expect(config.training.metricGate).toEqual({
      metricName: 'normalized_discounted_cumulative_gain_at_10',
      tolerance: 0.05,
    });
  });

  it('uses an unknown stage name as the stage of the defaults', () => {
    expect(resourceNames(loadConfig({ stage: 'qa' })).campaign('similarItems')).toBe('personalize-sims-qa');
  });

  it('fails naming the key when performAutoTraining is missing', () => {
    const raw = deepMerge(DEFAULT_CONFIG, {});
    delete (raw.solutions as { similarItems: Record<string, unknown> }).similarItems.performAutoTraining;
    expect(issuesOf(() => parseConfig(raw))).toEqual(['config.solutions.similarItems.performAutoTraining']);
  });

  it('fails naming every bad key at once', () => {
    const raw = deepMerge(DEFAULT_CONFIG, {
      stage: 'Prod!',
      solutions: { userPersonalization: { campaign: { minProvisionedTps: 0 } } },
      filters: [{ name: 'bad name', expression: '' }],
      training: { metricGate: { tolerance: -1 }, retrainSchedule: 'weekly' },
      unknownKey: true,
    });
    expect(issuesOf(() => parseConfig(raw)).sort()).toEqual(
      [
        'config',
        'config.filters.0.expression',
        'config.filters.0.name',
        'config.solutions.userPersonalization.campaign.minProvisionedTps',
        'config.stage',
        'config.training.metricGate.tolerance',
        'config.training.retrainSchedule',
      ].sort(),
    );
  });

  it('fails naming the file when it is not JSON', () => {
    const file = join(scratch, 'broken.json');
    writeFileSync(file, '{');
    expect(() => loadConfig({ file })).toThrow(/broken\.json/);
  });

  it('fails naming the key and the path when a schema file does not exist', () => {
    const raw = deepMerge(DEFAULT_CONFIG, { schemaFiles: { interactions: 'nope.json' } });
    expect(() => parseConfig(raw)).toThrow(
      /^config\.schemaFiles\.interactions: nope\.json: no such file \(looked for \/.*\/nope\.json\)$/,
    );
  });

  it('fails naming the key when a schema file is not an Avro schema', () => {
    const file = join(scratch, 'items.json');
    writeFileSync(file, '{"type": "record", "name": "Items"}');
    const raw = deepMerge(DEFAULT_CONFIG, { schemaFiles: { items: file } });
    expect(issuesOf(() => parseConfig(raw))).toEqual(['config.schemaFiles.items']);
  });

  it('fails naming the second filter that reuses a name', () => {
    const filter = { name: 'x', expression: 'EXCLUDE ItemID WHERE Items.GENRES IN ("a")' };
    const raw = deepMerge(DEFAULT_CONFIG, {
      filters: [filter, { name: 'y', expression: filter.expression }, filter],
    });
    expect(() => parseConfig(raw)).toThrow(
      /^config\.filters\.2\.name: "x" is already the name of filters\.0$/,
    );
  });

  it('fails naming the filter whose expression does not parse, with the position', () => {
    const raw = deepMerge(DEFAULT_CONFIG, {
      filters: [
        { name: 'ok', expression: 'INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)' },
        { name: 'bad', expression: 'GARBAGE' },
      ],
    });
    expect(() => parseConfig(raw)).toThrow(
      /^config\.filters\.1\.expression: at position 0: expected INCLUDE or EXCLUDE but found "GARBAGE"$/,
    );
  });

  it('fails when the metric gate names no GetSolutionMetrics key, listing the keys', () => {
    const raw = deepMerge(DEFAULT_CONFIG, { training: { metricGate: { metricName: 'ndcg_at_10' } } });
    expect(() => parseConfig(raw)).toThrow(
      /^config\.training\.metricGate\.metricName: .*normalized_discounted_cumulative_gain_at_10.*precision_at_25/,
    );
    const precision = deepMerge(DEFAULT_CONFIG, {
      training: { metricGate: { metricName: 'precision_at_5' } },
    });
    expect(parseConfig(precision).training.metricGate.metricName).toBe('precision_at_5');
  });

  it('fails naming a tag key with the reserved aws: prefix', () => {
    const raw = deepMerge(DEFAULT_CONFIG, { tags: { team: 'a', 'aws:team': 'b', 'AWS:x': 'c' } });
    expect(issuesOf(() => parseConfig(raw)).sort()).toEqual(['config.tags.AWS:x', 'config.tags.aws:team']);
    expect(() => parseConfig(raw)).toThrow(/config\.tags\.aws:team: the "aws:" prefix is reserved for AWS/);
  });

  it('reports the synth-time checks together with the other bad keys', () => {
    const raw = deepMerge(DEFAULT_CONFIG, {
      filters: [{ name: 'x', expression: 'GARBAGE' }],
      training: { metricGate: { metricName: 'ndcg_at_10' } },
      tags: { 'aws:team': 'x' },
    });
    expect(issuesOf(() => parseConfig(raw)).sort()).toEqual([
      'config.filters.0.expression',
      'config.tags.aws:team',
      'config.training.metricGate.metricName',
    ]);
  });

  it('fails listing the allowed values of logRetentionDays', () => {
    for (const days of [8, 7.5]) {
      const raw = deepMerge(DEFAULT_CONFIG, { logRetentionDays: days });
      expect(() => parseConfig(raw)).toThrow(
        /^config\.logRetentionDays: one of 7, 14, 30, 90, 180, 365 \(days\)$/,
      );
    }
  });

  it('fails when the batch workflow names a solution that is not configured', () => {
    const raw = deepMerge(DEFAULT_CONFIG, { batch: { enabled: true, solution: 'similarItems' } });
    delete (raw.solutions as Record<string, unknown>).similarItems;
    expect(issuesOf(() => parseConfig(raw))).toEqual(['config.batch.solution']);
  });
});

describe('Function: resourceNames', () => {
  it('gives a solution a new name when its training settings change, but keeps the campaign name', () => {
    const before = loadConfig();
    const after = parseConfig(
      deepMerge(DEFAULT_CONFIG, {
        solutions: { similarItems: { algorithmHyperParameters: { min_cointeraction_count: '5' } } },
      }),
    );
    expect(resourceNames(after).solution('similarItems')).not.toBe(
      resourceNames(before).solution('similarItems'),
    );
    expect(resourceNames(after).solution('similarItems')).toMatch(/^personalize-sims-dev-[0-9a-f]{8}$/);
    expect(resourceNames(after).campaign('similarItems')).toBe('personalize-sims-dev');
  });

  it('keeps the solution name when only the campaign or auto-training changes', () => {
    const before = loadConfig();
    const after = parseConfig(
      deepMerge(DEFAULT_CONFIG, {
        solutions: { similarItems: { performAutoTraining: true, campaign: { minProvisionedTps: 3 } } },
      }),
    );
    expect(resourceNames(after).solution('similarItems')).toBe(
      resourceNames(before).solution('similarItems'),
    );
  });
});
