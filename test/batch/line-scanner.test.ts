import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineScanner } from '../../src/batch/export/line-scanner.ts';
import { isRejected, type OutputKind, parseOutputLine } from '../../src/batch/export/output-line.ts';

/** Spacing variants of a line: compact (JSON.stringify) and with spaces after separators. */
const spaced = (text: string) => text.replace(/([:,])/g, '$1 ');
const bytes = (text: string) => new TextEncoder().encode(text);
const ascii = (b: Uint8Array, start: number, end: number) => new TextDecoder().decode(b.subarray(start, end));

/** What the scanner located, as strings. */
function scanned(scanner: LineScanner, line: string) {
  const b = bytes(line);
  if (!scanner.scan(b, 0, b.length)) return undefined;
  const ids = Array.from({ length: scanner.count }, (_, i) =>
    ascii(b, scanner.idStart[i]!, scanner.idEnd[i]!),
  );
  const scores = scanner.hasScores
    ? Array.from({ length: scanner.count }, (_, i) => ascii(b, scanner.scoreStart[i]!, scanner.scoreEnd[i]!))
    : undefined;
  return { key: ascii(b, scanner.keyStart, scanner.keyEnd), ids, scores };
}

const SHAPES: [OutputKind, (key: string) => object, string][] = [
  ['itemsForUser', (userId) => ({ userId }), 'recommendedItems'],
  ['itemsForItem', (itemId) => ({ itemId }), 'recommendedItems'],
  ['usersForItem', (itemId) => ({ itemId }), 'recommendedUsers'],
];

describe('LineScanner', () => {
  it.each(SHAPES)('locates %s lines exactly as the JSON.parse path reads them', (kind, input, list) => {
    const scanner = LineScanner.for(kind)!;
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.array(
          fc.tuple(fc.string({ maxLength: 12 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
          {
            maxLength: 80,
          },
        ),
        fc.boolean(),
        fc.boolean(),
        (key, ranked, withScores, withSpaces) => {
          const ids = ranked.map(([id]) => id);
          const output = withScores ? { [list]: ids, scores: ranked.map(([, s]) => s) } : { [list]: ids };
          const compact = JSON.stringify({ input: input(key), output, error: null });
          // Spacing also touches ':' and ',' inside strings: both paths read the same line, so that is fine.
          const line = withSpaces ? spaced(compact) : compact;
          const slow = parseOutputLine(line);
          const fast = scanned(scanner, line);
          if (fast === undefined) return; // escapes or non-ASCII: the JSON.parse path decides
          expect(isRejected(slow)).toBe(false);
          if (isRejected(slow)) return;
          expect(slow.kind).toBe(kind);
          expect(fast.key).toBe(slow.key);
          expect(fast.ids).toEqual(slow.ids);
          expect(fast.scores?.map(Number)).toEqual(slow.scores);
        },
      ),
    );
  });

  it('takes plain ASCII lines, whatever their spacing', () => {
    const scanner = LineScanner.for('itemsForUser')!;
    expect(
      scanned(
        scanner,
        ' { "input" : { "userId" : "u" } , "output" : { "recommendedItems" : [ "a" ] , "scores" : [ -1.5e+3 ] } , "error" : null } ',
      ),
    ).toEqual({ key: 'u', ids: ['a'], scores: ['-1.5e+3'] });
  });

  it('leaves every other shape to the JSON.parse path', () => {
    const scanner = LineScanner.for('itemsForUser')!;
    for (const line of [
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a\\"b"]},"error":null}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["é"]},"error":null}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a"],"scores":[1,2]},"error":null}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a","b"],"scores":[1]},"error":null}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a"],"scores":[01]},"error":null}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a"],"scores":[1.]},"error":null}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a"],"scores":[1e]},"error":null}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a"]},"error":"boom"}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a"]},"error":null} x',
      '{"input":{"userId":""},"output":{"recommendedItems":[]},"error":null}',
      '{"input":{"userId":"u\tv"},"output":{"recommendedItems":[]},"error":null}',
      '{"input":{"itemId":"u"},"output":{"recommendedItems":["a"]},"error":null}',
      '{"output":{"recommendedItems":["a"]},"input":{"userId":"u"},"error":null}',
      '{"input":{"userId":"u"},"output":{"recommendedItems":["a"]},"error":null',
    ]) {
      expect(scanned(scanner, line), line).toBeUndefined();
    }
  });

  it('reads each line of a batch within its own bounds', () => {
    const scanner = LineScanner.for('itemsForUser')!;
    const first = '{"input":{"userId":"u1"},"output":{"recommendedItems":["a"],"scores":[1';
    const second = '2]},"error":null}';
    const b = bytes(`${first}\n${second}`);
    expect(scanner.scan(b, 0, first.length)).toBe(false);
    expect(scanner.scan(b, first.length + 1, b.length)).toBe(false);
  });

  it('has no canonical shape for attribute segments', () => {
    expect(LineScanner.for('usersForAttributes')).toBeUndefined();
    expect(LineScanner.for(undefined)).toBeUndefined();
  });
});
