import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { runScript } from '../helpers/run-script.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-'));
  await generateDataset({ outDir: dir, interactions: 4000, seed: 3 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('personalize-toolkit CLI', () => {
  it('lists its five commands', async () => {
    const { code, stdout } = await runScript('cli', 'help');
    expect(code).toBe(EXIT_CODES.ok);
    for (const command of ['upload-data', 'batch-inference', 'batch-segment', 'export', 'batch-local']) {
      expect(stdout).toContain(command);
    }
  });

  it('maps a typed error to its exit code and a one-line message, before any AWS call', async () => {
    const { code, stderr } = await runScript(
      'cli',
      'batch-inference',
      '--recipe',
      'sims',
      '--output',
      join(dir, 'job'),
    );
    expect(code).toBe(EXIT_CODES.invalidInput);
    expect(stderr).toBe(
      'personalize-toolkit: InvalidInputError: input: sims needs --items <csv>, or --input <jsonl>\n',
    );
  });

  it('bounds --num-results of segments by the users-per-segment ceiling, not the 500 of batch inference', async () => {
    const { code, stderr } = await runScript(
      'cli',
      'batch-segment',
      '--item-ids',
      'items.csv',
      '--num-results',
      '5000001',
      '--output',
      join(dir, 'job'),
    );
    expect(code).toBe(2); // a usage error is invalid input
    expect(stderr).toContain(
      "option '--num-results <n>' argument '5000001' is invalid. must be at most 5000000",
    );
  });

  it('trains on --data and writes one batch output line per user, without the items the filter excludes', async () => {
    const apparel = (await readFile(join(dir, 'items.csv'), 'utf8'))
      .split('\n')
      .filter((row) => row.split(',')[1] === 'apparel')
      .map((row) => row.split(',')[0]);
    expect(apparel.length).toBeGreaterThan(0);
    const output = join(dir, 'local.jsonl');
    const { code, stdout } = await runScript(
      'cli',
      'batch-local',
      '--data',
      dir,
      '--num-results',
      '3',
      '--filter-expression',
      'EXCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)',
      '--filter-values',
      '{"CATEGORY":"\\"apparel\\""}',
      '--output',
      output,
      '--quiet',
    );
    expect(code).toBe(EXIT_CODES.ok);
    expect(stdout).toMatch(/^200 users → .*local\.jsonl in \d+\.\d s\n$/);
    const lines = (await readFile(output, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(200);
    for (const line of lines) {
      const items: string[] = JSON.parse(line).output.recommendedItems;
      expect(items).toHaveLength(3);
      expect(items.filter((i) => apparel.includes(i))).toEqual([]);
    }
  });

  it('fails on a bad --filter-expression before training, naming the flag', async () => {
    const { code, stdout, stderr } = await runScript(
      'cli',
      'batch-local',
      '--data',
      dir,
      '--filter-expression',
      'EXCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY) OR',
      '--filter-values',
      '{"CATEGORY":"\\"apparel\\""}',
      '--output',
      join(dir, 'never.jsonl'),
    );
    expect(code).toBe(EXIT_CODES.invalidInput);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^personalize-toolkit: InvalidInputError: --filter-expression: at position \d+: /);
  });
});
