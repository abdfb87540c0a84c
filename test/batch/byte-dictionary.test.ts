import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteDictionary } from '../../src/batch/export/byte-dictionary.ts';

/** The entries of a PLAIN BYTE_ARRAY page. */
function entriesOf(plain: Uint8Array): string[] {
  const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  const out: string[] = [];
  for (let at = 0; at < plain.length; ) {
    const length = view.getUint32(at, true);
    out.push(new TextDecoder().decode(plain.subarray(at + 4, at + 4 + length)));
    at += 4 + length;
  }
  return out;
}

describe('ByteDictionary', () => {
  it('numbers distinct values in first-seen order, as a Map would, and lists them as a PLAIN page', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 3000 }), (values) => {
        const dictionary = new ByteDictionary();
        const expected = new Map<string, number>();
        for (const value of values) {
          const bytes = new TextEncoder().encode(value);
          if (!expected.has(value)) expected.set(value, expected.size);
          expect(dictionary.indexOf(bytes, 0, bytes.length)).toBe(expected.get(value));
        }
        expect(dictionary.size).toBe(expected.size);
        expect(entriesOf(dictionary.plain.view())).toEqual([...expected.keys()]);
      }),
      { numRuns: 50 },
    );
  });

  it('finds a value inside a larger buffer by its span', () => {
    const dictionary = new ByteDictionary();
    const bytes = new TextEncoder().encode('"ab","abc","ab"');
    expect(dictionary.indexOf(bytes, 1, 3)).toBe(0);
    expect(dictionary.indexOf(bytes, 6, 9)).toBe(1);
    expect(dictionary.indexOf(bytes, 12, 14)).toBe(0);
  });
});
