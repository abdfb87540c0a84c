/** Items and Users files: duplicate ids, and the id set that interactions are checked against. */

import { hash64 } from '../core/hash64.ts';
import { HashCounter } from './hash-counter.ts';
import { type ScanContext, scanFile } from './scan-file.ts';

export interface EntityScan {
  readonly rows: number;
  /** Occurrences per hashed id; `count(...) > 0` means the id is in the file. */
  readonly ids: HashCounter;
}

const ID_FIELD = { items: 'ITEM_ID', users: 'USER_ID' } as const;

export async function scanEntities(dataset: 'items' | 'users', ctx: ScanContext): Promise<EntityScan> {
  const { file, log } = ctx;
  const idField = ID_FIELD[dataset];
  const ids = new HashCounter();
  const hash = new Uint32Array(2);
  const rows = await scanFile(ctx, (columns) => {
    const idColumn = columns.get(idField);
    if (idColumn === undefined) return () => {};
    return (fields, line) => {
      const id = fields[idColumn]!;
      if (id === '') return;
      hash64(id, hash);
      if (ids.increment(hash[0]!, hash[1]!) > 1) {
        log.add(
          'duplicate-id',
          file,
          line,
          idColumn + 1,
          `${idField} ${JSON.stringify(id)} appears on an earlier row too; ids must be unique`,
        );
      }
    };
  });
  return { rows, ids };
}
