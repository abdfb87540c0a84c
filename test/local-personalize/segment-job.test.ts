import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HybridModel, ScoreQuery } from '../../src/local/model/types.ts';
import { segmentOutput } from '../../src/local-personalize/segment-job.ts';

const ITEMS = ['i0', 'i1', 'i2', 'i3'];
const USERS = ['u0', 'u1', 'u2'];

/** Three users who each prefer one item; items carry a categorical, a numeric and a textual column. */
const model = {
  users: { ids: USERS, indexOf: new Map(USERS.map((id, i) => [id, i])) },
  items: { ids: ITEMS, indexOf: new Map(ITEMS.map((id, i) => [id, i])) },
  itemAttributes: {
    columns: [
      { name: 'GENRES', kind: 'categorical', values: [['comedy'], ['action'], ['drama', 'comedy'], []] },
      { name: 'PRICE', kind: 'numeric', values: Float64Array.of(5, 10, 7, Number.NaN) },
      { name: 'DESCRIPTION', kind: 'textual', values: ['a', 'b', 'c', null] },
    ],
  },
  userHistory: (user: number) => ({ items: Int32Array.of(user), timestamps: Float64Array.of(0) }),
  scoreAll: (query: ScoreQuery, out: Float32Array) => {
    out.fill(0);
    out[query.userIndex!] = 3;
  },
} as unknown as HybridModel;

const parse = (text: string) =>
  text === ''
    ? []
    : text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));

describe('Function: segmentOutput', () => {
  it('answers Item-Affinity lines in order, with the user likeliest to pick each item', async () => {
    const lines = parse(
      await segmentOutput(model, 'aws-item-affinity', ['{"itemId":"i1"}', '{"itemId":"i0"}'], 1),
    );
    expect(lines).toEqual([
      { input: { itemId: 'i1' }, output: { recommendedUsers: ['u1'] }, error: null },
      { input: { itemId: 'i0' }, output: { recommendedUsers: ['u0'] }, error: null },
    ]);
  });

  it('matches attribute queries on categorical values (any of a row) and numbers, columns ignoring case', async () => {
    const queries = [
      'ITEMS.genres = "comedy" AND ITEMS.price = "7"',
      'ITEMS.GENRES = "comedy" AND ITEMS.PRICE = "5"',
      'ITEMS.PRICE = "6"',
    ];
    const lines = parse(
      await segmentOutput(
        model,
        'aws-item-attribute-affinity',
        queries.map((q) => JSON.stringify({ itemAttributes: q })),
        1,
      ),
    );
    // Comedy at 7 is item 2 (comedy is its second genre), preferred by u2; comedy at 5 is item 0, u0's.
    expect(lines).toEqual([
      { itemAttributes: queries[0], output: { recommendedUsers: ['u2'] }, error: null },
      { itemAttributes: queries[1], output: { recommendedUsers: ['u0'] }, error: null },
      { itemAttributes: queries[2], output: null, error: 'no item has these attributes' },
    ]);
  });

  it('gives every input line exactly one output line, whatever the line holds', async () => {
    const line = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({ itemId: fc.oneof(fc.constantFrom(...ITEMS), fc.string(), fc.integer()) })
        .map((v) => JSON.stringify(v)),
      fc
        .record({
          itemAttributes: fc.oneof(
            fc.constantFrom('ITEMS.GENRES = "comedy"', 'ITEMS.DESCRIPTION = "a"', 'ITEMS.NOPE = "x"'),
            fc.string(),
          ),
        })
        .map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('aws-item-affinity', 'aws-item-attribute-affinity' as const),
        fc.array(
          line.filter((l) => !/[\r\n]/.test(l) && l.trim() !== ''),
          { maxLength: 10 },
        ),
        async (recipe, lines) => {
          const output = parse(await segmentOutput(model, recipe, lines, 2));
          expect(output).toHaveLength(lines.length);
          for (const out of output) {
            expect(out.output === null).toBe(typeof out.error === 'string');
            if (out.output !== null) expect(out.output.recommendedUsers.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300, seed: 20_261_202 },
    );
  });

  it('fails a file with more queries than the recipe takes per input file', async () => {
    const lines = Array.from({ length: 11 }, () => '{"itemAttributes":"ITEMS.GENRES = \\"comedy\\""}');
    await expect(segmentOutput(model, 'aws-item-attribute-affinity', lines, 1)).rejects.toThrow(
      /11 queries; aws-item-attribute-affinity takes at most 10/,
    );
  });
});
