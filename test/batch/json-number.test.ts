import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonNumberAt } from '../../src/batch/export/json-number.ts';

const read = (text: string) => {
  const bytes = new TextEncoder().encode(` ${text} `);
  return jsonNumberAt(bytes, 1, bytes.length - 1);
};

/** JSON number texts: sign, integer part, fraction and exponent of any length. */
const numberText = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,20}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,25}$/)),
    fc.option(
      fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^[0-9]{1,4}$/)),
    ),
  )
  .map(
    ([negative, integer, fraction, exponent]) =>
      `${negative ? '-' : ''}${integer}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : exponent.join('')}`,
  );

describe('jsonNumberAt', () => {
  it('gives the same double as JSON.parse for any JSON number text', () => {
    fc.assert(
      fc.property(numberText, (text) => {
        expect(Object.is(read(text), JSON.parse(text)), text).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads back every double JavaScript prints', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(Object.is(read(JSON.stringify(d)), Object.is(d, -0) ? 0 : d)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['0', 0],
    ['-0', -0],
    ['0.1', 0.1],
    ['1e-7', 1e-7],
    ['-1.5E+3', -1500],
    ['9007199254740993', 9007199254740992],
    ['1e400', Number.POSITIVE_INFINITY],
    ['2.2250738585072014e-308', 2.2250738585072014e-308],
  ])('reads %s', (text, value) => expect(Object.is(read(text), value)).toBe(true));
});
