import { datasetFromRows, type InteractionRow } from '../../../src/local/data/index.ts';
import type { Dataset } from '../../../src/local/data/types.ts';
import type { History } from '../../../src/local/model/types.ts';

export const GROUP_SIZE = 6;
export const USERS_PER_GROUP = 8;

/**
 * Two communities: users `a<u>` interact with items `A0..A5`, users `b<u>` with `B0..B5`, each user skipping
 * item `<u mod 6>` of their group, so the right recommendation for a user is the one group item they lack.
 * Items `A*` are Drama, `B*` Comedy; items `C0` (Drama) and `H0`, `H1` (Horror) have metadata but no interaction.
 */
export function checkerboard(): Dataset {
  const interactions: InteractionRow[] = [];
  let t = 1_000;
  for (const group of ['a', 'b'] as const) {
    for (let u = 0; u < USERS_PER_GROUP; u++) {
      for (let i = 0; i < GROUP_SIZE; i++) {
        if (i === u % GROUP_SIZE) continue;
        interactions.push({ userId: `${group}${u}`, itemId: `${group.toUpperCase()}${i}`, timestamp: t++ });
      }
    }
  }
  const items = [
    ...Array.from({ length: GROUP_SIZE }, (_, i) => ({ ITEM_ID: `A${i}`, GENRES: 'Drama' })),
    ...Array.from({ length: GROUP_SIZE }, (_, i) => ({ ITEM_ID: `B${i}`, GENRES: 'Comedy' })),
    { ITEM_ID: 'C0', GENRES: 'Drama' },
    // Keeps Drama a minority genre, so its content features carry weight.
    { ITEM_ID: 'H0', GENRES: 'Horror' },
    { ITEM_ID: 'H1', GENRES: 'Horror' },
  ];
  return datasetFromRows({ interactions, items });
}

/** A history of the named items, oldest first, one second apart. */
export function historyOf(data: Dataset, itemIds: readonly string[]): History {
  return {
    items: Int32Array.from(itemIds, (id) => data.items.indexOf.get(id)!),
    timestamps: Float64Array.from(itemIds, (_, i) => 2_000 + i),
  };
}

/** The best-scoring item id outside `history`. */
export function bestNew(data: Dataset, scores: Float32Array, history: History): string {
  const seen = new Set(history.items);
  let best = -1;
  for (let i = 0; i < scores.length; i++)
    if (!seen.has(i) && (best < 0 || scores[i]! > scores[best]!)) best = i;
  return data.items.ids[best]!;
}
