import { datasetFromRows, type InteractionRow, type MetadataRow } from '../../../src/local/data/index.ts';
import type { Dataset } from '../../../src/local/data/types.ts';

/**
 * A small shop: books b0..b9 and games g0..g9. Even users read books, odd users play games; each user views
 * six items of their kind and buys one. Enough structure that collaborative scores separate the two kinds.
 */
export const BOOKS = Array.from({ length: 10 }, (_, i) => `b${i}`);
export const GAMES = Array.from({ length: 10 }, (_, i) => `g${i}`);
export const T0 = 1_700_000_000;

export function shopRows() {
  const items: MetadataRow[] = [
    ...BOOKS.map((id, i) => ({
      ITEM_ID: id,
      CATEGORY: 'books',
      PRICE: 5 + i,
      DESCRIPTION: `a book about ${i}`,
    })),
    ...GAMES.map((id, i) => ({
      ITEM_ID: id,
      CATEGORY: 'games',
      PRICE: 20 + i,
      DESCRIPTION: `a game of ${i}`,
    })),
  ];
  const users: MetadataRow[] = [];
  const interactions: InteractionRow[] = [];
  for (let u = 0; u < 40; u++) {
    const userId = `u${u}`;
    users.push({ USER_ID: userId, MEMBERSHIP: u % 4 === 0 ? 'gold' : 'basic' });
    const kind = u % 2 === 0 ? BOOKS : GAMES;
    for (let j = 0; j < 6; j++) {
      const itemId = kind[(u + j * 3) % kind.length]!;
      interactions.push({ userId, itemId, timestamp: T0 + u * 100 + j, eventType: 'view' });
    }
    interactions.push({
      userId,
      itemId: kind[u % kind.length]!,
      timestamp: T0 + u * 100 + 10,
      eventType: 'purchase',
    });
  }
  return { interactions, items, users };
}

export function shopDataset(): Dataset {
  return datasetFromRows(shopRows());
}
