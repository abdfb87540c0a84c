import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCsvField, parseCsv, scanCsvFile } from '../../src/csv/index.ts';
import { InvalidInputError } from '../../src/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type View = 'bytes' | 'strings';

async function scanIn(
  text: string,
  chunkBytes?: number,
  view?: View,
): Promise<{ line: number; fields: string[] }[]> {
  const path = join(dir, 'f.csv');
  writeFileSync(path, text);
  const out: { line: number; fields: string[] }[] = [];
  await scanCsvFile(
    path,
    (r) => out.push({ line: r.line, fields: Array.from({ length: r.count }, (_, i) => r.text(i)) }),
    { chunkBytes, view },
  );
  return out;
}

const tricky =
  '\ufeffA,B,C\r\n1,"x, ""y""",\r\n\r\n"multi\nline",é,"back\\\\slash \\"q\\""\n3,,""\nlast,row,no-newline';

describe.each<View>(['bytes', 'strings'])('scanCsvFile (strict mode, %s view)', (view) => {
  const scan = (text: string, chunkBytes?: number) => scanIn(text, chunkBytes, view);

  it('splits quoted, escaped, multi-line and empty fields and tracks line numbers', async () => {
    expect(await scan(tricky)).toEqual([
      { line: 1, fields: ['A', 'B', 'C'] },
      { line: 2, fields: ['1', 'x, "y"', ''] },
      { line: 4, fields: ['multi\nline', 'é', 'back\\slash "q"'] },
      { line: 6, fields: ['3', '', ''] },
      { line: 7, fields: ['last', 'row', 'no-newline'] },
    ]);
  });

  it('gives the same records whatever the read size', async () => {
    const whole = await scan(tricky);
    for (const chunk of [1, 2, 3, 5, 7, 16]) expect(await scan(tricky, chunk)).toEqual(whole);
  });

  it('reads back any table written with formatCsvField, whatever the read size', async () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'é', ',', '"', '\\', '\n', '\r', ' ', '1', '|'),
      maxLength: 6,
    });
    const table = fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(table, fc.integer({ min: 1, max: 32 }), async (rows, chunk) => {
        const text = `${rows.map((r) => r.map(formatCsvField).join(',')).join('\n')}\n`;
        const read = await scan(text, chunk);
        expect(read.map((r) => r.fields)).toEqual(rows);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('keeps a lone CR as data and drops a CR before the line end or the end of the file', async () => {
    expect(await scan('a,b\r\nx\ry,z\r')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\ry', 'z'] },
    ]);
  });

  it('keeps quotes and backslashes of unquoted fields, and other backslashes of quoted ones, as data', async () => {
    expect(await scan('a,b\nsay \\"hi\\",x"y\n"C:\\dir\\\\","\\n"\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['say \\"hi\\"', 'x"y'] },
      { line: 3, fields: ['C:\\dir\\', '\\n'] },
    ]);
  });

  it('fails naming the line of text after a closing quote', async () => {
    await expect(scan('A,B\n1,2\n"x" y,3\n')).rejects.toThrow(
      /f\.csv:3: unexpected character after a closing quote in field 1 \(" y"\)/,
    );
  });

  it('fails on a quote that never closes, and on a row with a field count unlike the header', async () => {
    await expect(scan('A,B\n1,"2\n3,4\n')).rejects.toThrow(
      /f\.csv:2: a quoted field is never closed \(field 2/,
    );
    await expect(scan('A,B\n1,2,3\n')).rejects.toThrow(/f\.csv:2: has 3 fields, the header has 2/);
    await expect(scan('A,B\n1,2\n3\n')).rejects.toThrow(InvalidInputError);
  });

  it('keeps numbers exact from the byte parser and falls back for decimals', async () => {
    const path = join(dir, 'n.csv');
    writeFileSync(path, '1735689600,-42,4.5,1e3,,abc, 7 ,+5\n');
    const numbers: number[] = [];
    await scanCsvFile(
      path,
      (r) => {
        for (let i = 0; i < r.count; i++) numbers.push(r.number(i));
      },
      { view },
    );
    expect(numbers).toEqual([1735689600, -42, 4.5, 1000, Number.NaN, Number.NaN, 7, 5]);
  });

  it('gives each record its text and its fields as strings', () => {
    const { header, rows, lines } = parseCsv('a,b\r\n1,2\r\n"x,""y""",3\n', 'mem');
    expect(header).toEqual(['a', 'b']);
    expect(rows).toEqual([
      ['1', '2'],
      ['x,"y"', '3'],
    ]);
    expect(lines).toEqual([2, 3]);
  });

  it('fails on an empty file, naming it', () => {
    expect(() => parseCsv('\n\n', 'empty.csv')).toThrow(/empty\.csv: the file is empty \(no header\)/);
  });
});
