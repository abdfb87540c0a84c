import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBatchOutput } from '../../src/batch/export/export.ts';

/** Item-Attribute-Affinity output as Personalize writes it: `itemAttributes` at the top level, no scores. */
const OUTPUT = [
  {
    itemAttributes: 'ITEMS.GENRES = "comedy" AND ITEMS.GENRES = "action"',
    output: { recommendedUsers: ['25', '78'] },
  },
  { itemAttributes: 'ITEMS.GENRES = "horror"', output: null, error: 'segment failed' },
  { itemAttributes: 'ITEMS.GENRES = "adventure"', output: { recommendedUsers: ['87'] } },
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'segment-export-'));
  await writeFile(join(dir, 'queries.jsonl.out'), OUTPUT.map((l) => `${JSON.stringify(l)}\n`).join(''));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const exportTo = (output: string, threads: number) =>
  exportBatchOutput({
    input: createReadStream(join(dir, 'queries.jsonl.out')),
    inputName: 'queries.jsonl.out',
    output: join(dir, output),
    format: output.endsWith('.csv') ? 'csv' : 'parquet',
    errorsOutput: join(dir, `${output}.errors.jsonl`),
    threads,
  });

describe('exportBatchOutput of Item-Attribute-Affinity segments', () => {
  it('writes one row per query and user, keyed by the query, and sets the error line aside', async () => {
    const csv = await exportTo('segments.csv', 0);
    const parquet = await exportTo('segments.parquet', 1);

    const summary = { lines: 3, rows: 3, rejected: 1, kind: 'usersForAttributes' };
    expect(csv).toMatchObject(summary);
    expect(parquet).toMatchObject(summary);
    expect((await readFile(join(dir, 'segments.csv'), 'utf8')).trim().split('\n')).toEqual([
      'ITEM_ATTRIBUTES,RANK,USER_ID,SCORE',
      '"ITEMS.GENRES = ""comedy"" AND ITEMS.GENRES = ""action""",1,25,',
      '"ITEMS.GENRES = ""comedy"" AND ITEMS.GENRES = ""action""",2,78,',
      '"ITEMS.GENRES = ""adventure""",1,87,',
    ]);
    const bytes = await readFile(join(dir, 'segments.parquet'));
    const rows = await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    });
    expect(rows.map((r) => [r.ITEM_ATTRIBUTES, Number(r.RANK), r.USER_ID])).toEqual([
      [OUTPUT[0]!.itemAttributes, 1, '25'],
      [OUTPUT[0]!.itemAttributes, 2, '78'],
      [OUTPUT[2]!.itemAttributes, 1, '87'],
    ]);
    const rejected = (await readFile(join(dir, 'segments.csv.errors.jsonl'), 'utf8')).trim();
    expect(rejected).toContain('segment failed');
  });
});
