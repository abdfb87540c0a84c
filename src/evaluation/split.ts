import { heldOutCount } from '../core/held-out.ts';
import type { InteractionTable } from '../local/data/types.ts';

/** Row numbers (into the input table, ascending) of each side of a split. */
export interface ChronologicalSplit {
  readonly train: Int32Array;
  readonly test: Int32Array;
  /** Held-out rows removed because their item never occurs in train (no model could rank it). */
  readonly droppedTest: Int32Array;
}

export type SplittableInteractions = Pick<
  InteractionTable,
  'length' | 'userIndex' | 'itemIndex' | 'timestamp'
>;

/**
 * The benchmark protocol's chronological per-user split: a user with n ≥ 5 interactions has the last
 * ⌊n / 5⌋ of them by time held out for test, a user with fewer keeps all of them in train; then test rows
 * whose item never occurs in train are dropped. Equal timestamps keep file order (the later row is "later").
 */
export function chronologicalSplit(rows: SplittableInteractions): ChronologicalSplit {
  const n = rows.length;
  let userCount = 0;
  for (let r = 0; r < n; r++) userCount = Math.max(userCount, rows.userIndex[r]! + 1);

  // Bucket rows by user (counting sort keeps file order), then order each bucket by time.
  const start = new Int32Array(userCount + 1);
  for (let r = 0; r < n; r++) start[rows.userIndex[r]! + 1]!++;
  for (let u = 0; u < userCount; u++) start[u + 1]! += start[u]!;
  const fill = start.slice(0, userCount);
  const byUser = new Int32Array(n);
  for (let r = 0; r < n; r++) byUser[fill[rows.userIndex[r]!]!++] = r;

  const isTest = new Uint8Array(n);
  for (let u = 0; u < userCount; u++) {
    const from = start[u]!;
    const to = start[u + 1]!;
    const count = to - from;
    const held = heldOutCount(count);
    if (held === 0) continue;
    const bucket = byUser.subarray(from, to);
    bucket.sort((a, b) => rows.timestamp[a]! - rows.timestamp[b]! || a - b);
    for (let p = count - held; p < count; p++) isTest[bucket[p]!] = 1;
  }

  let itemCount = 0;
  for (let r = 0; r < n; r++) itemCount = Math.max(itemCount, rows.itemIndex[r]! + 1);
  const inTrain = new Uint8Array(itemCount);
  for (let r = 0; r < n; r++) if (isTest[r] === 0) inTrain[rows.itemIndex[r]!] = 1;

  const train: number[] = [];
  const test: number[] = [];
  const dropped: number[] = [];
  for (let r = 0; r < n; r++) {
    if (isTest[r] === 0) train.push(r);
    else if (inTrain[rows.itemIndex[r]!] === 1) test.push(r);
    else dropped.push(r);
  }
  return {
    train: Int32Array.from(train),
    test: Int32Array.from(test),
    droppedTest: Int32Array.from(dropped),
  };
}
