import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBatchOutput } from '../../src/batch/export/export.ts';
import { runLocalBatch } from '../../src/batch/local/local-batch.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { trainLocalRecommender } from '../../src/local/index.ts';

let dir: string;
let modelPath: string;
let userIds: readonly string[];
/** Item ids by CATEGORY, from the generated items.csv. */
let categories: Map<string, Set<string>>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-batch-'));
  await generateDataset({ outDir: dir, interactions: 4000, seed: 3 });
  const recommender = await trainLocalRecommender(
    { interactions: join(dir, 'interactions.csv'), items: join(dir, 'items.csv') },
    { training: { tune: false } },
  );
  modelPath = join(dir, 'model.bin');
  await writeFile(modelPath, recommender.hybridModel.serialize());
  userIds = recommender.hybridModel.users.ids;
  categories = new Map();
  for (const row of (await readFile(join(dir, 'items.csv'), 'utf8')).trim().split('\n').slice(1)) {
    const [itemId, category] = row.split(',');
    categories.set(category!, (categories.get(category!) ?? new Set()).add(itemId!));
  }
});

const outputLines = async (path: string) =>
  (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
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
    const lines = await outputLines(join(dir, 'c.jsonl'));
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

  it('applies a filter expression with placeholder values to every line, on workers and without', async () => {
    // Prepare: the category recommended most often without a filter
    await runLocalBatch({ modelPath, output: join(dir, 'plain.jsonl'), numResults: 10, threads: 0 });
    const counts = new Map<string, number>();
    for (const line of await outputLines(join(dir, 'plain.jsonl'))) {
      for (const [category, items] of categories) {
        const n = line.output.recommendedItems.filter((i: string) => items.has(i)).length;
        counts.set(category, (counts.get(category) ?? 0) + n);
      }
    }
    const [category, recommended] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    expect(recommended).toBeGreaterThan(0);
    const excluded = categories.get(category)!;

    // Act
    const filter = {
      filterExpression: 'EXCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)',
      filterValues: { CATEGORY: JSON.stringify(category) },
      numResults: 10,
      modelPath,
    };
    await runLocalBatch({ ...filter, output: join(dir, 'f0.jsonl'), threads: 0 });
    await runLocalBatch({ ...filter, output: join(dir, 'f2.jsonl'), threads: 2 });

    // Assess
    const lines = await outputLines(join(dir, 'f0.jsonl'));
    expect(await readFile(join(dir, 'f2.jsonl'), 'utf8')).toBe(await readFile(join(dir, 'f0.jsonl'), 'utf8'));
    expect(lines).toHaveLength(userIds.length);
    for (const line of lines) {
      expect(line.error).toBeNull();
      expect(line.output.recommendedItems).toHaveLength(10);
      expect(line.output.recommendedItems.filter((i: string) => excluded.has(i))).toEqual([]);
    }
  });

  it('fails on a bad expression or an unknown column before writing any line', async () => {
    const output = join(dir, 'never.jsonl');
    const bad = runLocalBatch({
      modelPath,
      output,
      numResults: 5,
      filterExpression: 'EXCLUDE ItemID WHERE Items.CATEGORY IM ("x")',
    });
    await expect(bad).rejects.toThrow(InvalidInputError);
    await expect(bad).rejects.toThrow(/^filterExpression: at position 36: expected IN/);
    await expect(
      runLocalBatch({
        modelPath,
        output,
        numResults: 5,
        filterExpression: 'EXCLUDE ItemID WHERE Items.COLOUR IN ("red")',
      }),
    ).rejects.toThrow(/filterExpression: at position 21: Items\.COLOUR is not a column/);
    await expect(readFile(output)).rejects.toThrow(/ENOENT/);
  });

  it.each([0, 2])(
    'rejects (never an unhandled stream error) when the output cannot be opened, %i threads',
    async (threads) => {
      const run = (output: string) => runLocalBatch({ modelPath, output, numResults: 5, threads });
      await expect(run(join(dir, 'no-such-folder', 'x.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(run(dir)).rejects.toMatchObject({ code: 'EISDIR' });
    },
  );
});
