import { describe, expect, it } from 'vitest';
import { batchOutputLine } from '../../src/batch/local/local-batch-lines.ts';
import type { Recommendations } from '../../src/recommender/types.ts';

const answer = (items: Recommendations['items']) => async () => ({ items }) as Recommendations;
const outputOf = async (items: Recommendations['items']) =>
  JSON.parse(await batchOutputLine({ userId: 'u1' }, answer(items)));

describe('batchOutputLine', () => {
  it('keeps the known candidates’ scores of a ranking and gives the unknown ones, last, a null score', async () => {
    const line = await outputOf([
      { itemId: 'i2', score: 0.5 },
      { itemId: 'i1', score: 0.3 },
      { itemId: 'zz' },
    ]);
    expect(line).toEqual({
      input: { userId: 'u1' },
      output: { recommendedItems: ['i2', 'i1', 'zz'], scores: [0.5, 0.3, null] },
      error: null,
    });
  });

  it('omits scores when no item has one (SIMS, popularity)', async () => {
    expect((await outputOf([{ itemId: 'i2' }, { itemId: 'i1' }])).output).toEqual({
      recommendedItems: ['i2', 'i1'],
    });
  });

  it('puts what the answer throws in error', async () => {
    const line = JSON.parse(
      await batchOutputLine({ userId: 'u1' }, async () => {
        throw new Error('boom');
      }),
    );
    expect(line).toEqual({ input: { userId: 'u1' }, output: null, error: 'boom' });
  });
});
