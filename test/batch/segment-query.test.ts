import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseItemAttributesQuery } from '../../src/batch/jobs/segment-query.ts';
import { readAttributeQueryFile } from '../../src/batch/jobs/segment-query-file.ts';
import { InvalidInputError, ResourceNotFoundError } from '../../src/errors.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'segment-query-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('parseItemAttributesQuery', () => {
  it('reads the documented example, mixed columns and escaped quotes', () => {
    expect(parseItemAttributesQuery('ITEMS.genres = "Comedy" AND ITEMS.genres = "Action"', 'q')).toEqual([
      { column: 'genres', value: 'Comedy' },
      { column: 'genres', value: 'Action' },
    ]);
    expect(parseItemAttributesQuery(' ITEMS.SIZE="10\\" screen"  AND  ITEMS.PRICE = "9.5" ', 'q')).toEqual([
      { column: 'SIZE', value: '10" screen' },
      { column: 'PRICE', value: '9.5' },
    ]);
  });

  it('reads back any query written as conditions joined by AND', () => {
    const condition = fc.record({
      column: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/),
      // Quotes, backslashes and " AND " inside values are where a hand-written scanner slips.
      value: fc.string({
        unit: fc.constantFrom('a', 'Z', ' ', '"', '\\', '=', 'A', 'N', 'D', '.'),
        minLength: 1,
      }),
    });
    fc.assert(
      fc.property(fc.array(condition, { minLength: 1, maxLength: 5 }), (conditions) => {
        const text = conditions.map((c) => `ITEMS.${c.column} = ${JSON.stringify(c.value)}`).join(' AND ');
        expect(parseItemAttributesQuery(text, 'q')).toEqual(conditions);
      }),
    );
  });

  it.each([
    ['', 'at character 0: expected ITEMS.<column>'],
    ['Items.GENRES = "a"', 'at character 0: expected ITEMS.<column>'],
    ['ITEMS.PRICE >= "3"', 'at character 12: only = compares a column with a value'],
    ['ITEMS.GENRES NOT IN ("a")', 'at character 13: only = compares a column with a value'],
    ['ITEMS.GENRES = comedy', 'at character 15: expected a double-quoted value'],
    ['ITEMS.GENRES = ""', 'at character 15: the value is empty'],
    ['ITEMS.GENRES = "a" or ITEMS.GENRES = "b"', 'at character 19: only AND joins conditions'],
    ['ITEMS.GENRES = "a" AND', 'at character 22: expected ITEMS.<column>'],
    ['ITEMS.GENRES = "a" ITEMS.COLOR = "b"', 'at character 19: expected AND or the end of the query'],
  ])('rejects %j naming the field and the character', (text, message) => {
    const parse = () => parseItemAttributesQuery(text, 'line 4.itemAttributes');
    expect(parse).toThrow(InvalidInputError);
    expect(parse).toThrow(`line 4.itemAttributes: ${message}`);
  });
});

describe('readAttributeQueryFile', () => {
  it('names each query by its line, skipping blank lines, with Windows line ends too', async () => {
    const path = join(dir, 'queries.txt');
    await writeFile(path, 'ITEMS.A = "x"\r\n\r\n  ITEMS.B = "y"  \r\n');
    expect(await readAttributeQueryFile(path)).toEqual([
      { query: 'ITEMS.A = "x"', field: `${path} line 1` },
      { query: 'ITEMS.B = "y"', field: `${path} line 3` },
    ]);
    await expect(readAttributeQueryFile(join(dir, 'absent.txt'))).rejects.toThrow(ResourceNotFoundError);
  });
});
