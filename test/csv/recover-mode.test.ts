import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type CsvProblemKind, MAX_QUOTED_RECORD_BYTES, scanCsvFile } from '../../src/csv/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'recover-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Split {
  records: [number, string[]][];
  errors: [CsvProblemKind, number, number][];
}

type View = 'bytes' | 'strings';

/** Scans `text` in recover mode, reading `chunkBytes` at a time. */
async function splitIn(text: string, view: View, chunkBytes?: number): Promise<Split> {
  const path = join(dir, 'r.csv');
  writeFileSync(path, text);
  const out: Split = { records: [], errors: [] };
  await scanCsvFile(path, (r) => out.records.push([r.line, r.strings()]), {
    onProblem: (p) => out.errors.push([p.kind, p.line, p.column]),
    chunkBytes,
    view,
  });
  return out;
}

describe.each<View>(['bytes', 'strings'])('scanCsvFile (recover mode, %s view)', (view) => {
  const split = (text: string, chunkBytes?: number) => splitIn(text, view, chunkBytes);

  it('splits plain lines, LF or CRLF, with or without a final newline, and drops a BOM', async () => {
    expect((await split('\uFEFFa,b\r\nc,\n,d')).records).toEqual([
      [1, ['a', 'b']],
      [2, ['c', '']],
      [3, ['', 'd']],
    ]);
  });

  it('reads quoted fields with commas, newlines and both quote escapes', async () => {
    const text =
      'id,text,x\n1,"a, b",\n2,"say ""hi""",\n3,"back\\\\slash \\"q\\"",\n4,"two\nlines",x\n5,z,\n';
    expect(await split(text)).toEqual({
      records: [
        [1, ['id', 'text', 'x']],
        [2, ['1', 'a, b', '']],
        [3, ['2', 'say "hi"', '']],
        [4, ['3', 'back\\slash "q"', '']],
        [5, ['4', 'two\nlines', 'x']],
        [7, ['5', 'z', '']],
      ],
      errors: [],
    });
  });

  it('gives the same records and problems whatever the read size', async () => {
    const text = 'a,"b ""c"" \\"d\\"",e\r\n"multi\r\nline",2,3\n\nx"y,"z"w,\n1,"open\n';
    const whole = await split(text);
    expect(whole.errors).toEqual([
      ['blank-line', 4, 0],
      ['syntax', 5, 2],
      ['syntax', 6, 2],
    ]);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: text.length }), async (size) => {
        expect(await split(text, size)).toEqual(whole);
      }),
      { numRuns: 40, seed: 3 },
    );
  });

  it('reports text after a closing quote and keeps it in the value', async () => {
    expect(await split('a,"b"c,d\n')).toEqual({
      records: [[1, ['a', 'bc', 'd']]],
      errors: [['syntax', 1, 2]],
    });
  });

  it('reports a quote that never closes and resumes on the next line', async () => {
    expect(await split('1,ok\n2,"open\n3,next\n')).toEqual({
      records: [
        [1, ['1', 'ok']],
        [3, ['3', 'next']],
      ],
      errors: [['syntax', 2, 2]],
    });
  });

  it('reports and drops rows whose field count differs from the header, and reports empty lines', async () => {
    expect(await split('a,b\n1\n\n2,3\n4,5,6\n')).toEqual({
      records: [
        [1, ['a', 'b']],
        [4, ['2', '3']],
      ],
      errors: [
        ['column-count', 2, 0],
        ['blank-line', 3, 0],
        ['column-count', 5, 0],
      ],
    });
  });

  it('gives up on a quoted record longer than MAX_QUOTED_RECORD_BYTES, keeping memory bounded', async () => {
    const text = `1,"${'x\n'.repeat(MAX_QUOTED_RECORD_BYTES / 2 + 10)}`;
    const out = await split(text, 64 * 1024);
    expect(out.errors[0]).toEqual(['syntax', 1, 2]);
    expect(out.records.length).toBeGreaterThan(MAX_QUOTED_RECORD_BYTES / 4);
  });
});
