import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFastLine } from '../../src/batch/fast-line.ts';
import { isRejected, parseOutputLine } from '../../src/batch/output-line.ts';

/** Spacing variants of a line: compact (JSON.stringify) and with spaces after separators. */
const spaced = (text: string) => text.replace(/([:,])/g, '$1 ');

describe('readFastLine', () => {
  it('reads canonical lines exactly as the JSON.parse path does, scores as equal doubles', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.array(
          fc.tuple(fc.string({ maxLength: 12 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
          {
            maxLength: 30,
          },
        ),
        fc.boolean(),
        fc.boolean(),
        (userId, ranked, withScores, withSpaces) => {
          const output = withScores
            ? { recommendedItems: ranked.map(([id]) => id), scores: ranked.map(([, s]) => s) }
            : { recommendedItems: ranked.map(([id]) => id) };
          const compact = JSON.stringify({ input: { userId }, output, error: null });
          // Spacing also touches ':' and ',' inside strings: both paths read the same line, so that is fine.
          const line = withSpaces ? spaced(compact) : compact;
          const slow = parseOutputLine(line);
          const fast = readFastLine(line);
          if (fast === undefined) return; // escapes or control characters: the JSON.parse path decides
          expect(isRejected(slow)).toBe(false);
          if (isRejected(slow)) return;
          expect(fast.key).toBe(slow.key);
          expect(fast.ids).toEqual(slow.ids);
          expect(fast.scores?.map(Number)).toEqual(slow.scores);
        },
      ),
    );
  });

  it('leaves every other shape to the JSON.parse path', () => {
    for (const line of [
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a\\"b"]},"error":null}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a"],"scores":[1,2]},"error":null}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a"],"scores":[01]},"error":null}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a"],"scores":[1.]},"error":null}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a"]},"error":"boom"}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a"]},"error":null} x',
      '{"input":{"userId":""},"output":{"recommendedItems":[]},"error":null}',
      '{"input":{"userId":"u\tv"},"output":{"recommendedItems":[]},"error":null}',
      '{"output":{"recommendedItems":["a"]},"input":{"userId":"u"},"error":null}',
    ]) {
      expect(readFastLine(line), line).toBeUndefined();
    }
    expect(
      readFastLine(
        ' { "input" : { "userId" : "u" } , "output" : { "recommendedItems" : [ "a" ] , "scores" : [ -1.5e+3 ] } , "error" : null } ',
      ),
    ).toEqual({
      key: 'u',
      ids: ['a'],
      scores: ['-1.5e+3'],
    });
  });
});
