import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBatchOutput } from '../../src/batch/export.ts';
import { runLocalBatch } from '../../src/batch/local-batch.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { LocalRecommender } from '../../src/local/index.ts';

let dir: string;
let modelPath: string;
let userIds: readonly string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-batch-'));
  await generateDataset({ outDir: dir, interactions: 4000, seed: 3 });
  const recommender = await LocalRecommender.train(
    { interactions: join(dir, 'interactions.csv'), items: join(dir, 'items.csv') },
    { training: { tune: false } },
  );
  modelPath = join(dir, 'model.bin');
  await writeFile(modelPath, recommender.hybridModel.serialize());
  userIds = recommender.hybridModel.users.ids;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('runLocalBatch', () => {
  it('writes one Personalize-format line per user, the same with and without worker threads', async () => {
    const inProcess = await runLocalBatch({
      modelPath,
      output: join(dir, 'a.jsonl'),
      numResults: 5,
      threads: 0,
    });
    const threaded = await runLocalBatch({
      modelPath,
      output: join(dir, 'b.jsonl'),
      numResults: 5,
      threads: 2,
    });
    expect(inProcess.users).toBe(userIds.length);
    const a = await readFile(join(dir, 'a.jsonl'), 'utf8');
    expect(await readFile(join(dir, 'b.jsonl'), 'utf8')).toBe(a);
    expect(threaded.bytes).toBe(Buffer.byteLength(a));
    const first = JSON.parse(a.split('\n')[0]!);
    expect(first).toEqual({
      input: { userId: userIds[0] },
      output: { recommendedItems: expect.any(Array), scores: expect.any(Array) },
      error: null,
    });
    expect(first.output.recommendedItems).toHaveLength(5);
  });

  it('answers a given user list in order, with per-line errors for ids Personalize would reject', async () => {
    const tooLong = 'x'.repeat(257);
    await runLocalBatch({
      modelPath,
      output: join(dir, 'c.jsonl'),
      numResults: 3,
      userIds: [userIds[1]!, tooLong, 'unknown-user'],
      threads: 1,
    });
    const lines = (await readFile(join(dir, 'c.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.input.userId)).toEqual([userIds[1], tooLong, 'unknown-user']);
    expect(lines[1]).toMatchObject({ output: null, error: expect.stringContaining('256') });
    expect(lines[2].output.recommendedItems).toHaveLength(3);
  });

  it('produces output that export turns into rows, with no line set aside', async () => {
    await runLocalBatch({ modelPath, output: join(dir, 'd.jsonl'), numResults: 4, threads: 0 });
    const summary = await exportBatchOutput({
      input: createReadStream(join(dir, 'd.jsonl')),
      inputName: 'd.jsonl',
      output: join(dir, 'd.csv'),
      format: 'csv',
      errorsOutput: join(dir, 'd.errors'),
      threads: 0,
    });
    expect(summary).toMatchObject({
      lines: userIds.length,
      rows: 4 * userIds.length,
      rejected: 0,
      kind: 'itemsForUser',
    });
  });
});
