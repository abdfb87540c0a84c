import type { Dataset } from '../data/types.ts';
import type { Csr } from '../sparse/csr.ts';
import { fromCoo } from '../sparse/from-coo.ts';

/** Users × items, 1 where the user interacted with the item at least once (implicit feedback). */
export function userItemMatrix(data: Dataset): Csr {
  const { interactions } = data;
  const m = fromCoo(
    data.users.ids.length,
    data.items.ids.length,
    interactions.userIndex.subarray(0, interactions.length),
    interactions.itemIndex.subarray(0, interactions.length),
  );
  m.data.fill(1);
  return m;
}
