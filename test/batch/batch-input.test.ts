import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBatchInputFile, writeBatchInput } from '../../src/batch/jobs/batch-input.ts';
import { readIdColumn } from '../../src/batch/jobs/id-column.ts';
import { InvalidInputError } from '../../src/errors.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'batch-input-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const lines = async (path: string) =>
  (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('writeBatchInput', () => {
  it('writes one line per user, item or user with the item list, with filter values on each', async () => {
    const filterValues = { GENRES: '"drama"' };
    await writeBatchInput(
      { recipe: 'user-personalization', users: ['u1', 'u2'], filterValues },
      join(dir, 'up.jsonl'),
    );
    expect(await lines(join(dir, 'up.jsonl'))).toEqual([
      { userId: 'u1', filterValues },
      { userId: 'u2', filterValues },
    ]);
    await writeBatchInput({ recipe: 'sims', items: ['i1'] }, join(dir, 'sims.jsonl'));
    expect(await lines(join(dir, 'sims.jsonl'))).toEqual([{ itemId: 'i1' }]);
    const summary = await writeBatchInput(
      { recipe: 'ranking', users: ['u1'], items: ['a', 'b'] },
      join(dir, 'rank.jsonl'),
    );
    expect(await lines(join(dir, 'rank.jsonl'))).toEqual([{ userId: 'u1', itemList: ['a', 'b'] }]);
    expect(summary).toEqual({ lines: 1, bytes: '{"userId":"u1","itemList":["a","b"]}\n'.length });
  });

  it('names the line and the limit for an id over 256 characters', async () => {
    const run = writeBatchInput(
      { recipe: 'user-personalization', users: ['ok', 'x'.repeat(257)] },
      join(dir, 'long.jsonl'),
    );
    await expect(run).rejects.toThrow(InvalidInputError);
    await expect(run).rejects.toThrow(/line 2\.userId: must be a string of 1\.\.256 characters/);
  });

  it('rejects ranking lists over 500 items and an empty input', async () => {
    const items = Array.from({ length: 501 }, (_, i) => `i${i}`);
    await expect(
      writeBatchInput({ recipe: 'ranking', users: ['u'], items }, join(dir, 'r.jsonl')),
    ).rejects.toThrow(/line 1\.itemList: must list 1\.\.500 item ids/);
    await expect(writeBatchInput({ recipe: 'sims', items: [] }, join(dir, 'e.jsonl'))).rejects.toThrow(
      /items: lists nothing/,
    );
  });
});

describe('writeBatchInput for segment jobs', () => {
  it('writes Item-Affinity item lines and Item-Attribute-Affinity query lines', async () => {
    await writeBatchInput({ recipe: 'item-affinity', items: ['i1', 'i2'] }, join(dir, 'ia.jsonl'));
    expect(await lines(join(dir, 'ia.jsonl'))).toEqual([{ itemId: 'i1' }, { itemId: 'i2' }]);
    const query = 'ITEMS.GENRES = "comedy" AND ITEMS.PRICE = "10"';
    const filterValues = { TIER: '"gold"' };
    const summary = await writeBatchInput(
      { recipe: 'item-attribute-affinity', attributeQueries: [query, 'ITEMS.COLOR = "red"'], filterValues },
      join(dir, 'iaa.jsonl'),
    );
    expect(await lines(join(dir, 'iaa.jsonl'))).toEqual([
      { itemAttributes: query, filterValues },
      { itemAttributes: 'ITEMS.COLOR = "red"', filterValues },
    ]);
    expect(summary.lines).toBe(2);
  });

  it('names the line and the per-file query limit of each recipe', async () => {
    const items = Array.from({ length: 501 }, (_, i) => `i${i}`);
    await expect(
      writeBatchInput({ recipe: 'item-affinity', items }, join(dir, 'many.jsonl')),
    ).rejects.toThrow(
      "line 501: input has more than 500 Item-Affinity queries, Personalize's limit per input file",
    );
    const queries = Array.from({ length: 11 }, (_, i) => `ITEMS.GENRES = "g${i}"`);
    await expect(
      writeBatchInput(
        { recipe: 'item-attribute-affinity', attributeQueries: queries },
        join(dir, 'many-q.jsonl'),
      ),
    ).rejects.toThrow(
      "line 11: input has more than 10 Item-Attribute-Affinity queries, Personalize's limit per input file",
    );
  });

  it('names the line and the character of a query outside the grammar', async () => {
    const run = writeBatchInput(
      {
        recipe: 'item-attribute-affinity',
        attributeQueries: ['ITEMS.GENRES = "comedy"', 'ITEMS.GENRES = "comedy" OR ITEMS.GENRES = "drama"'],
      },
      join(dir, 'or.jsonl'),
    );
    await expect(run).rejects.toThrow(InvalidInputError);
    await expect(run).rejects.toThrow(/^line 2\.itemAttributes: at character 24: only AND joins conditions/);
  });
});

describe('checkBatchInputFile', () => {
  it('accepts a valid file and names the first bad line', async () => {
    await writeFile(join(dir, 'good.jsonl'), '{"userId":"1"}\n{"userId":"2"}\n');
    expect(await checkBatchInputFile(join(dir, 'good.jsonl'), 'user-personalization')).toEqual({
      lines: 2,
      bytes: 30,
    });
    await writeFile(join(dir, 'bad.jsonl'), '{"userId":"1"}\n{"itemId":"2"}\nnope\n');
    await expect(checkBatchInputFile(join(dir, 'bad.jsonl'), 'user-personalization')).rejects.toThrow(
      /line 2\.userId: is required for user-personalization/,
    );
    await writeFile(join(dir, 'junk.jsonl'), 'nope\n');
    await expect(checkBatchInputFile(join(dir, 'junk.jsonl'), 'sims')).rejects.toThrow(
      /line 1: is not valid JSON/,
    );
  });

  it('checks segment inputs: the key of the recipe, the query grammar, the per-file query limit', async () => {
    const query = (genre: string) => JSON.stringify({ itemAttributes: `ITEMS.GENRES = "${genre}"` });
    await writeFile(join(dir, 'q.jsonl'), `${query('comedy')}\n\n${query('drama')}\n`);
    expect(await checkBatchInputFile(join(dir, 'q.jsonl'), 'item-attribute-affinity')).toEqual({
      lines: 2,
      bytes: Buffer.byteLength(`${query('comedy')}\n\n${query('drama')}\n`),
    });
    await expect(checkBatchInputFile(join(dir, 'q.jsonl'), 'item-affinity')).rejects.toThrow(
      /^line 1\.itemId: is required for item-affinity/,
    );
    await writeFile(
      join(dir, 'iq.jsonl'),
      `${query('comedy')}\n{"itemAttributes":"ITEMS.PRICE < \\"3\\""}\n`,
    );
    await expect(checkBatchInputFile(join(dir, 'iq.jsonl'), 'item-attribute-affinity')).rejects.toThrow(
      /^line 2\.itemAttributes: at character 12: only = compares a column with a value/,
    );
    const eleven = Array.from({ length: 11 }, (_, i) => query(`g${i}`)).join('\n');
    await writeFile(join(dir, 'q11.jsonl'), eleven);
    await expect(checkBatchInputFile(join(dir, 'q11.jsonl'), 'item-attribute-affinity')).rejects.toThrow(
      /^line 11: input has more than 10 Item-Attribute-Affinity queries/,
    );
    await writeFile(join(dir, 'blank.jsonl'), '\n\n');
    await expect(checkBatchInputFile(join(dir, 'blank.jsonl'), 'item-affinity')).rejects.toThrow(
      /blank\.jsonl: has no input lines/,
    );
  });
});

describe('readIdColumn', () => {
  it('reads distinct ids of a named column, and names a file without it', async () => {
    await writeFile(join(dir, 'i.csv'), 'USER_ID,ITEM_ID,TIMESTAMP\nu1,a,1\nu2,b,2\nu1,c,3\n');
    expect(await readIdColumn(join(dir, 'i.csv'), 'USER_ID')).toEqual(['u1', 'u2']);
    await expect(readIdColumn(join(dir, 'i.csv'), 'SESSION_ID')).rejects.toThrow(/has no SESSION_ID column/);
  });
});
