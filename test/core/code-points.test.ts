import { describe, expect, it } from 'vitest';
import { codePointLength } from '../../src/core/code-points.ts';

describe('Function: codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 1],
    ['😀', 1],
    ['a😀b😀', 4],
    ['\ud800', 1],
    ['\udc00\ud800', 2],
  ])('%j has %i code points', (text, expected) => {
    expect(codePointLength(text)).toBe(expected);
    expect(codePointLength(text)).toBe([...text].length);
  });
});
