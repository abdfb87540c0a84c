import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecordSplitter, MAX_RECORD_CHARS } from '../../src/data-validation/csv-records.ts';

interface Split {
  records: [number, string[]][];
  errors: [number, number][];
}

/** Splits `text` fed in chunks of `chunkSize` characters. */
function split(text: string, chunkSize = text.length || 1): Split {
  const out: Split = { records: [], errors: [] };
  const splitter = new CsvRecordSplitter({
    record: (fields, line) => out.records.push([line, fields]),
    syntaxError: (line, column) => out.errors.push([line, column]),
  });
  for (let i = 0; i < text.length; i += chunkSize) splitter.push(text.slice(i, i + chunkSize));
  splitter.end();
  return out;
}

describe('Class: CsvRecordSplitter', () => {
  it('splits plain lines, LF or CRLF, with or without a final newline, and drops a BOM', () => {
    expect(split('\uFEFFa,b\r\nc,\n,d').records).toEqual([
      [1, ['a', 'b']],
      [2, ['c', '']],
      [3, ['', 'd']],
    ]);
  });

  it('reads quoted fields with commas, newlines and both quote escapes', () => {
    const text = 'id,text\n1,"a, b"\n2,"say ""hi"""\n3,"back\\\\slash \\"q\\""\n4,"two\nlines",x\n5,z\n';
    expect(split(text)).toEqual({
      records: [
        [1, ['id', 'text']],
        [2, ['1', 'a, b']],
        [3, ['2', 'say "hi"']],
        [4, ['3', 'back\\slash "q"']],
        [5, ['4', 'two\nlines', 'x']],
        [7, ['5', 'z']],
      ],
      errors: [],
    });
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const text = 'a,"b ""c"" \\"d\\"",e\r\n"multi\r\nline",2\n\n"x",y\n';
    const whole = split(text);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: text.length }), (size) => {
        expect(split(text, size)).toEqual(whole);
      }),
    );
  });

  it('reports text after a closing quote and keeps it in the value', () => {
    expect(split('a,"b"c,d\n')).toEqual({ records: [[1, ['a', 'bc', 'd']]], errors: [[1, 2]] });
  });

  it('reports a quote that never closes and resumes on the next line', () => {
    expect(split('1,ok\n2,"open\n3,next\n')).toEqual({
      records: [
        [1, ['1', 'ok']],
        [3, ['3', 'next']],
      ],
      errors: [[2, 2]],
    });
  });

  it('gives up on a quoted record longer than MAX_RECORD_CHARS, keeping memory bounded', () => {
    const text = `1,"${'x\n'.repeat(MAX_RECORD_CHARS / 2 + 10)}`;
    const out = split(text, 64 * 1024);
    expect(out.errors[0]).toEqual([1, 2]);
    expect(out.records.length).toBeGreaterThan(MAX_RECORD_CHARS / 4);
  });
});
