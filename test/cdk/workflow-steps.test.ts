import { describe, expect, it } from 'vitest';
import { planImport, resolveRunInput } from '../../lambdas/workflow/import-plan.ts';
import { judge } from '../../lambdas/workflow/metric-gate.ts';
import { InvalidInputError } from '../../src/errors.ts';

const settings = {
  importMode: 'FULL' as const,
  jobNamePrefix: 'p-dev-',
  datasetArns: { interactions: 'arn:i', items: 'arn:it', users: 'arn:u' },
  bulkImported: new Set(['interactions', 'items', 'users'] as const),
};
const startedAt = new Date('2026-11-29T04:05:06.789Z');

describe('Function: planImport', () => {
  it('imports every dataset file present next to the _READY marker', () => {
    const keys = [
      'import/b1/interactions.csv',
      'import/b1/items.csv',
      'import/b1/_READY',
      'import/b1/notes.txt',
    ];
    const plan = planImport({ objectKey: 'import/b1/_READY' }, keys, settings, 'bucket', startedAt);
    expect(plan.dataPrefix).toBe('import/b1/');
    expect(plan.files).toEqual({ interactions: 'import/b1/interactions.csv', items: 'import/b1/items.csv' });
    expect(plan.imports).toEqual([
      {
        datasetType: 'interactions',
        datasetArn: 'arn:i',
        dataLocation: 's3://bucket/import/b1/interactions.csv',
        jobName: 'p-dev-interactions-20261129T040506',
        importMode: 'FULL',
      },
      {
        datasetType: 'items',
        datasetArn: 'arn:it',
        dataLocation: 's3://bucket/import/b1/items.csv',
        jobName: 'p-dev-items-20261129T040506',
        importMode: 'FULL',
      },
    ]);
  });

  it('takes the import mode from the run input over the default', () => {
    const plan = planImport(
      { importPrefix: 'import/current/', importMode: 'INCREMENTAL' },
      ['import/current/interactions.csv'],
      settings,
      'bucket',
      startedAt,
    );
    expect(plan.imports.map((i) => i.importMode)).toEqual(['INCREMENTAL']);
  });

  it('imports FULL into a dataset that never had a bulk import, whatever the configured mode (the first prod run)', () => {
    const prod = {
      ...settings,
      importMode: 'INCREMENTAL' as const,
      bulkImported: new Set(['items'] as const),
    };
    const plan = planImport(
      { objectKey: 'import/b1/_READY' },
      ['import/b1/interactions.csv', 'import/b1/items.csv'],
      prod,
      'bucket',
      startedAt,
    );
    expect(plan.imports.map((i) => [i.datasetType, i.importMode])).toEqual([
      ['interactions', 'FULL'],
      ['items', 'INCREMENTAL'],
    ]);
  });

  it('refuses a job name prefix that would push the name past 63 characters instead of cutting it', () => {
    const long = { ...settings, jobNamePrefix: `${'p'.repeat(40)}-` };
    expect(() =>
      planImport({ importPrefix: 'import/b/' }, ['import/b/interactions.csv'], long, 'bucket', startedAt),
    ).toThrow(/longer than 63 characters/);
  });

  it('plans no import on a retrain-only run but still names the files', () => {
    const plan = planImport(
      { importPrefix: 'import/current/', skipImport: true },
      ['import/current/interactions.csv'],
      settings,
      'bucket',
      startedAt,
    );
    expect(plan.imports).toEqual([]);
    expect(plan.files).toEqual({ interactions: 'import/current/interactions.csv' });
  });

  it('fails naming the missing interactions file', () => {
    expect(() =>
      planImport({ importPrefix: 'import/b2/' }, ['import/b2/items.csv'], settings, 'bkt', startedAt),
    ).toThrow(/s3:\/\/bkt\/import\/b2\/interactions\.csv is required/);
  });

  it('fails naming importPrefix when the run says nothing about where the data is', () => {
    expect(() => planImport({}, [], settings, 'bucket', startedAt)).toThrow(InvalidInputError);
    expect(() => planImport({ importPrefix: 'no-slash' }, [], settings, 'bucket', startedAt)).toThrow(
      /importPrefix/,
    );
  });
});

describe('Function: resolveRunInput', () => {
  const latest = (value: string | undefined) => async (key: string) => {
    expect(key).toBe('import/_LATEST');
    return value;
  };

  it('points a retrain-only run without a folder at the last imported one', async () => {
    const input = await resolveRunInput({ skipImport: true }, 'import/', latest('import/b7/\n'));
    expect(input).toEqual({ skipImport: true, importPrefix: 'import/b7/' });
  });

  it('leaves runs that name their data alone', async () => {
    const never = async () => {
      throw new Error('must not read');
    };
    for (const input of [
      { objectKey: 'import/b/_READY', importMode: 'INCREMENTAL' as const },
      { importPrefix: 'import/x/', skipImport: true },
      {},
    ])
      expect(await resolveRunInput(input, 'import/', never)).toBe(input);
  });

  it("takes the import mode the _READY marker asks for over the deployment's", async () => {
    const marker = (body: string | undefined) => async (key: string) => {
      expect(key).toBe('import/b/_READY');
      return body;
    };
    const input = await resolveRunInput(
      { objectKey: 'import/b/_READY' },
      'import/',
      marker('{"importMode":"FULL"}'),
    );
    expect(input).toEqual({ objectKey: 'import/b/_READY', importMode: 'FULL' });
    const keys = ['import/b/interactions.csv', 'import/b/_READY'];
    const plan = planImport(input, keys, { ...settings, importMode: 'INCREMENTAL' }, 'bucket', startedAt);
    expect(plan.imports.map((i) => i.importMode)).toEqual(['FULL']);
    for (const body of ['', '{}', undefined])
      expect(await resolveRunInput({ objectKey: 'import/b/_READY' }, 'import/', marker(body))).toEqual({
        objectKey: 'import/b/_READY',
      });
    await expect(resolveRunInput({ objectKey: 'import/b/_READY' }, 'import/', marker('go'))).rejects.toThrow(
      /^import\/b\/_READY: must be empty/,
    );
  });

  it('fails naming what to do when no import has finished yet', async () => {
    await expect(resolveRunInput({ skipImport: true }, 'import/', latest(undefined))).rejects.toThrow(
      /no import has finished yet \(import\/_LATEST is missing\): upload data under import\/<batch>\/ with a _READY marker first/,
    );
  });
});

describe('Function: judge', () => {
  const base = { metricName: 'precision_at_10', tolerance: 0.01 };

  it('accepts a better version', () => {
    expect(judge({ ...base, newValue: 0.3, liveValue: 0.2 }).accept).toBe(true);
  });

  it('accepts a version worse by no more than the tolerance', () => {
    expect(judge({ ...base, newValue: 0.195, liveValue: 0.2 }).accept).toBe(true);
  });

  it('rejects a version worse beyond the tolerance, naming both values', () => {
    const verdict = judge({ ...base, newValue: 0.15, liveValue: 0.2 });
    expect(verdict.accept).toBe(false);
    expect(verdict.reason).toContain('precision_at_10 0.15');
    expect(verdict.reason).toContain('live 0.2');
  });
});
