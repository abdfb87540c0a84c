import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openObject } from '../../src/aws/s3-transfer.ts';
import { exportBatchOutput, formatOf } from '../../src/batch/export/export.ts';
import { AccessDeniedError, InvalidInputError } from '../../src/errors.ts';
import { awsError, objectBody } from './aws-mocks.ts';

const line = (userId: string, items: string[], scores?: number[]) =>
  JSON.stringify({
    input: { userId },
    output: { recommendedItems: items, ...(scores ? { scores } : {}) },
    error: null,
  });

const INPUT = [
  line('u1', ['a', 'b,c', 'd"e'], [0.5, 0.25, 1e-7]),
  '{"input":{"userId":"u2"},"output":null,"error":"User not found"}',
  '{not json',
  '',
  line('u3', ['x']),
  JSON.stringify({ input: { itemId: 'i9' }, output: { recommendedItems: ['q'] }, error: null }),
  `${line('ü4', ['é'], [2])}\r`,
].join('\n');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'export-test-'));
  await writeFile(join(dir, 'in.jsonl'), INPUT);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(output: string, threads: number, input = join(dir, 'in.jsonl'), batchBytes?: number) {
  return exportBatchOutput({
    input: createReadStream(input),
    inputName: 'in.jsonl',
    output: join(dir, output),
    format: formatOf(output),
    errorsOutput: join(dir, `${output}.errors`),
    threads,
    batchBytes,
  });
}

async function readParquet(name: string) {
  const bytes = await readFile(join(dir, name));
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { rows: await parquetReadObjects({ file }), metadata: parquetMetadata(file) };
}

const EXPECTED_CSV = [
  'USER_ID,RANK,ITEM_ID,SCORE',
  'u1,1,a,0.5',
  'u1,2,"b,c",0.25',
  'u1,3,"d""e",1e-7',
  'u3,1,x,',
  'ü4,1,é,2',
  '',
].join('\n');

describe('exportBatchOutput', () => {
  it.each([0, 2])('writes CSV rows and sets every unusable line aside (threads %i)', async (threads) => {
    const summary = await run(`out${threads}.csv`, threads);
    expect(await readFile(join(dir, `out${threads}.csv`), 'utf8')).toBe(EXPECTED_CSV);
    expect(summary).toMatchObject({ lines: 7, rows: 5, rejected: 3, kind: 'itemsForUser' });
    expect(summary.rejectedByReason).toEqual({ 'job error': 1, 'malformed JSON': 1, 'kind mismatch': 1 });
    const errors = (await readFile(join(dir, `out${threads}.csv.errors`), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(errors.map((e) => [e.line, e.reason])).toEqual([
      [2, 'job error: User not found'],
      [3, 'malformed JSON'],
      [6, 'kind mismatch: line is itemsForItem, file started as itemsForUser'],
    ]);
    expect(errors[0].source).toBe('in.jsonl');
  });

  it('writes Parquet that reads back with the same rows, null scores where a line had none', async () => {
    await run('out.parquet', 2);
    const { rows } = await readParquet('out.parquet');
    expect(rows).toEqual([
      { USER_ID: 'u1', RANK: 1, ITEM_ID: 'a', SCORE: 0.5 },
      { USER_ID: 'u1', RANK: 2, ITEM_ID: 'b,c', SCORE: 0.25 },
      { USER_ID: 'u1', RANK: 3, ITEM_ID: 'd"e', SCORE: 1e-7 },
      { USER_ID: 'u3', RANK: 1, ITEM_ID: 'x', SCORE: null },
      { USER_ID: 'ü4', RANK: 1, ITEM_ID: 'é', SCORE: 2 },
    ]);
  });

  it('keeps line numbers and order across many batches on worker threads', async () => {
    const users = 30_000;
    const text = Array.from({ length: users }, (_, u) =>
      u % 1000 === 7 ? '{"error":"boom"}' : line(`user-${u}`, ['p', 'q'], [u, u / 2]),
    ).join('\n');
    await writeFile(join(dir, 'big.jsonl'), text);
    const summary = await run('big.csv', 2, join(dir, 'big.jsonl'));
    expect(summary).toMatchObject({ lines: users, rows: 2 * (users - 30), rejected: 30 });
    const csv = (await readFile(join(dir, 'big.csv'), 'utf8')).split('\n');
    expect(csv[1]).toBe('user-0,1,p,0');
    expect(csv.at(-2)).toBe(`user-${users - 1},2,q,${(users - 1) / 2}`);
    const errorLines = (await readFile(join(dir, 'big.csv.errors'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).line);
    expect(errorLines).toEqual(Array.from({ length: 30 }, (_, k) => k * 1000 + 8));
  });

  it.each([0, 2])('writes one Parquet row group per batch, in input order (threads %i)', async (threads) => {
    const users = 3000;
    const text = Array.from({ length: users }, (_, u) =>
      u % 100 === 7 ? '{"error":"boom"}' : line(`user-${u}`, [`p${u % 7}`, `q${u % 11}`], [u, u / 2]),
    ).join('\n');
    await writeFile(join(dir, 'groups.jsonl'), text);
    const summary = await run(`groups${threads}.parquet`, threads, join(dir, 'groups.jsonl'), 16 << 10);
    const { rows, metadata } = await readParquet(`groups${threads}.parquet`);
    const expected = Array.from({ length: users }, (_, u) => u)
      .filter((u) => u % 100 !== 7)
      .flatMap((u) => [
        { USER_ID: `user-${u}`, RANK: 1, ITEM_ID: `p${u % 7}`, SCORE: u },
        { USER_ID: `user-${u}`, RANK: 2, ITEM_ID: `q${u % 11}`, SCORE: u / 2 },
      ]);
    expect(rows).toEqual(expected);
    expect(summary.rows).toBe(expected.length);
    expect(metadata.row_groups.length).toBeGreaterThan(5);
  });

  it.each([
    ['itemsForItem', 'INPUT_ITEM_ID', 'ITEM_ID', { itemId: 'i1' }, 'recommendedItems'],
    ['usersForItem', 'INPUT_ITEM_ID', 'USER_ID', { itemId: 'i1' }, 'recommendedUsers'],
  ])(
    'writes %s Parquet from byte-scanned and JSON.parse lines alike',
    async (kind, keyColumn, idColumn, input, list) => {
      const ids = Array.from({ length: 40 }, (_, i) => `id${i}`);
      const lines = [
        JSON.stringify({
          input,
          output: { [list]: ids, scores: ids.map((_, i) => 1 / (i + 1)) },
          error: null,
        }),
        // Escapes and non-ASCII take the JSON.parse path; their ids share the dictionary with the line above.
        JSON.stringify({ input: { itemId: 'ï"2' }, output: { [list]: ['id3', 'ñ'] }, error: null }),
      ];
      await writeFile(join(dir, `${kind}.jsonl`), lines.join('\n'));
      const summary = await run(`${kind}.parquet`, 0, join(dir, `${kind}.jsonl`));
      expect(summary).toMatchObject({ kind, rows: 42, rejected: 0 });
      const { rows, metadata } = await readParquet(`${kind}.parquet`);
      expect(rows).toEqual([
        ...ids.map((id, i) => ({ [keyColumn]: 'i1', RANK: i + 1, [idColumn]: id, SCORE: 1 / (i + 1) })),
        { [keyColumn]: 'ï"2', RANK: 1, [idColumn]: 'id3', SCORE: null },
        { [keyColumn]: 'ï"2', RANK: 2, [idColumn]: 'ñ', SCORE: null },
      ]);
      const score = metadata.row_groups[0]!.columns[3]!.meta_data!;
      expect(score.statistics).toMatchObject({ null_count: 2n, min_value: 1 / 40, max_value: 1 });
    },
  );

  it('writes attribute segments (no byte fast path) to Parquet', async () => {
    const query = 'ITEMS.GENRES = "Comedy"';
    const text = `${JSON.stringify({ itemAttributes: query, output: { recommendedUsers: ['u1', 'u2'] }, error: null })}\n`;
    await writeFile(join(dir, 'attributes.jsonl'), text);
    await run('attributes.parquet', 0, join(dir, 'attributes.jsonl'));
    expect((await readParquet('attributes.parquet')).rows).toEqual([
      { ITEM_ATTRIBUTES: query, RANK: 1, USER_ID: 'u1', SCORE: null },
      { ITEM_ATTRIBUTES: query, RANK: 2, USER_ID: 'u2', SCORE: null },
    ]);
  });

  it('writes Parquet for a single row (one-entry dictionaries)', async () => {
    await writeFile(join(dir, 'one.jsonl'), `${line('u', ['a'])}\n`);
    await run('one.parquet', 0, join(dir, 'one.jsonl'));
    expect((await readParquet('one.parquet')).rows).toEqual([
      { USER_ID: 'u', RANK: 1, ITEM_ID: 'a', SCORE: null },
    ]);
  });

  it('still writes a valid empty table when no line is usable', async () => {
    await writeFile(join(dir, 'bad.jsonl'), '{"error":"x"}\n');
    const summary = await run('empty.parquet', 0, join(dir, 'bad.jsonl'));
    expect(summary).toMatchObject({ rows: 0, rejected: 1 });
    expect((await readParquet('empty.parquet')).rows).toEqual([]);
  });

  it.each(['csv', 'parquet'])(
    'exports a ranking line whose unknown candidates have a null score: their rows have none (%s)',
    async (format) => {
      const input = join(dir, 'partial.jsonl');
      await writeFile(
        input,
        '{"input":{"userId":"u1","itemList":["i1","zz","i2"]},"output":{"recommendedItems":["i2","i1","zz"],"scores":[0.5,0.3,null]},"error":null}\n',
      );
      const summary = await run(`partial.${format}`, 0, input);
      expect(summary).toMatchObject({ rows: 3, rejected: 0 });
      if (format === 'csv') {
        expect(await readFile(join(dir, 'partial.csv'), 'utf8')).toBe(
          'USER_ID,RANK,ITEM_ID,SCORE\nu1,1,i2,0.5\nu1,2,i1,0.3\nu1,3,zz,\n',
        );
      } else {
        expect((await readParquet('partial.parquet')).rows).toEqual([
          { USER_ID: 'u1', RANK: 1, ITEM_ID: 'i2', SCORE: 0.5 },
          { USER_ID: 'u1', RANK: 2, ITEM_ID: 'i1', SCORE: 0.3 },
          { USER_ID: 'u1', RANK: 3, ITEM_ID: 'zz', SCORE: null },
        ]);
      }
    },
  );

  it('rejects an output that is neither .csv nor .parquet', () => {
    expect(() => formatOf('out.json')).toThrow(InvalidInputError);
  });

  it('reads S3 input through GetObject, and names bucket and action on AccessDenied', async () => {
    const s3 = mockClient(S3Client);
    s3.on(GetObjectCommand, { Bucket: 'b', Key: 'out/in.jsonl.out' }).resolves({
      Body: objectBody(INPUT),
    });
    s3.on(GetObjectCommand, { Bucket: 'locked' }).rejects(awsError('AccessDenied', 403, 'Access Denied'));
    const client = new S3Client({});
    const summary = await exportBatchOutput({
      input: await openObject(client, { bucket: 'b', key: 'out/in.jsonl.out' }),
      inputName: 's3://b/out/in.jsonl.out',
      output: join(dir, 's3.csv'),
      format: 'csv',
      errorsOutput: join(dir, 's3.errors'),
      threads: 0,
    });
    expect(summary.rows).toBe(5);
    const denied = openObject(client, { bucket: 'locked', key: 'k' });
    await expect(denied).rejects.toThrow(AccessDeniedError);
    await expect(denied).rejects.toThrow(/s3:GetObject on bucket locked/);
    s3.restore();
  });
});
