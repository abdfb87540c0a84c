import type { Dataset } from '../data/types.ts';
import type { Csr } from '../sparse/csr.ts';
import { fromCoo } from '../sparse/from-coo.ts';

// Several scorers fit on the same interactions; building the matrix once per table saves seconds at 10M rows.
const cache = new WeakMap<Dataset['interactions'], Csr>();

/**
 * Users × items, 1 where the user interacted with the item at least once (implicit feedback). Shared between
 * callers for the same interactions: treat it as read-only.
 */
export function userItemMatrix(data: Dataset): Csr {
  const { interactions } = data;
  const cached = cache.get(interactions);
  if (cached && cached.rows === data.users.ids.length && cached.cols === data.items.ids.length) return cached;
  const m = fromCoo(
    data.users.ids.length,
    data.items.ids.length,
    interactions.userIndex.subarray(0, interactions.length),
    interactions.itemIndex.subarray(0, interactions.length),
  );
  m.data.fill(1);
  cache.set(interactions, m);
  return m;
}
