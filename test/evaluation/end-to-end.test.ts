import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';
import { ALGORITHM_NAMES, algorithmsToEvaluate } from '../../src/evaluation/algorithms.ts';
import { type EvaluationReport, evaluate } from '../../src/evaluation/evaluate.ts';
import { splitInteractionsFile } from '../../src/evaluation/split-file.ts';
import { readTestInteractions } from '../../src/evaluation/test-file.ts';
import { loadDataset } from '../../src/local/data/load.ts';

const ROOT = join(import.meta.dirname, '../..');

/** Runs `npm run evaluate -- <args>` as a child process. */
function evaluateCli(args: readonly string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/evaluate.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

const SHARED_KEYS = [
  'mrr',
  'coverage',
  'novelty',
  'serendipity',
  'ndcg@10',
  'recall@20',
  'mean_reciprocal_rank_at_25',
];

describe('Feature: evaluation end to end on generated data', () => {
  let dir: string;
  let files: { users: string; items: string; interactions: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evaluate-'));
    ({ files } = await generateDataset({ outDir: dir, interactions: 4000, users: 120, items: 80, seed: 7 }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('splits, trains popularity and the hybrid, and both rank better than an uninformed order', async () => {
    // Prepare
    const split = await splitInteractionsFile(files.interactions, join(dir, 'split'));
    const train = await loadDataset({
      interactions: split.trainPath,
      items: files.items,
      users: files.users,
    });
    const test = await readTestInteractions(split.testPath);

    // Act
    const report = await evaluate({
      train,
      test,
      k: 5,
      algorithms: [
        ...algorithmsToEvaluate('popularity'),
        ...algorithmsToEvaluate('hybrid'),
        {
          name: 'reverse-id',
          fit: () => ({
            scoreAll(_query, out) {
              for (let i = 0; i < out.length; i++) out[i] = -i;
            },
          }),
        },
      ],
    });

    // Assess
    expect(report.testUsers).toBe(split.testUsers);
    const [popularity, hybrid, reverse] = report.results;
    expect(report.results.map((r) => r.algo)).toEqual(['popularity', 'hybrid', 'reverse-id']);
    expect(popularity!.metrics['ndcg@5']).toBeGreaterThan(reverse!.metrics['ndcg@5']!);
    expect(hybrid!.metrics['ndcg@5']).toBeGreaterThan(reverse!.metrics['ndcg@5']!);
    expect(popularity!.metrics['serendipity']).toBe(0);
    for (const { metrics } of report.results) {
      for (const key of [...SHARED_KEYS, 'precision@5', 'recall@5', 'ndcg@5', 'map@5', 'precision_at_25']) {
        expect(metrics[key], key).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('writes the --json results, the --report page and --png charts for every registered algorithm', async () => {
    // Prepare
    const out = join(dir, 'cli');
    expect(evaluateCli(['--split', files.interactions, '--out', out]).status).toBe(0);

    // Act
    const run = evaluateCli([
      '--train',
      join(out, 'train.csv'),
      '--test',
      join(out, 'test.csv'),
      '--items',
      files.items,
      '--users',
      files.users,
      '--json',
      join(out, 'report.json'),
      '--report',
      join(out, 'report.html'),
      '--png',
      join(out, 'png'),
    ]);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/precision@10 +recall@10 +ndcg@10 +map@10 +recall@20 +mrr +coverage/);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as EvaluationReport;
    expect(report.results.map((r) => r.algo)).toEqual(ALGORITHM_NAMES);
    for (const result of report.results) {
      expect(result.fitSeconds).toBeGreaterThanOrEqual(0);
      for (const key of [
        ...SHARED_KEYS,
        'precision@10',
        'map@10',
        'normalized_discounted_cumulative_gain_at_10',
      ])
        expect(Number.isFinite(result.metrics[key]), `${result.algo} ${key}`).toBe(true);
    }
    const hybrid = report.results.find((r) => r.algo === 'hybrid')!;
    expect(hybrid.curves!.ndcg).toHaveLength(50);
    expect(hybrid.components!.length).toBeGreaterThan(0);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(6);
    expect(html).toContain('The hybrid&#39;s tuned components');
    // Every input given is listed, --users too.
    expect(html).toContain(
      `<dl><dt>train</dt><dd>${join(out, 'train.csv')}</dd><dt>test</dt><dd>${join(out, 'test.csv')}</dd>` +
        `<dt>items</dt><dd>${files.items}</dd><dt>users</dt><dd>${files.users}</dd></dl>`,
    );
    const png = await readdir(join(out, 'png'));
    expect(png.sort()).toEqual([
      'coverage-novelty.png',
      'curves.png',
      'hybrid-components.png',
      'long-tail.png',
      'metrics.png',
      'popularity-bias.png',
    ]);
  });

  it('fails with a clear message for a missing file or an unknown algorithm', () => {
    const missing = evaluateCli(['--train', join(dir, 'nope.csv'), '--test', files.interactions]);
    expect(missing.status).toBe(3); // not found
    expect(missing.stderr).toContain(`--train: no such file or directory: ${join(dir, 'nope.csv')}`);
    const unknown = evaluateCli([
      '--train',
      files.interactions,
      '--test',
      files.interactions,
      '--algo',
      'nope',
    ]);
    expect(unknown.status).toBe(2); // invalid input
    expect(unknown.stderr).toMatch(/--algo: must be one of .*got 'nope'/);
  });
});
