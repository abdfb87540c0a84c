import type { Dataset } from '../data/types.ts';
import { gather } from './gather.ts';
import type { History } from './types.ts';

/** Every user's interactions, oldest first (ties in file order), packed: user u owns `[start[u], start[u+1])`. */
export interface PackedHistories {
  readonly start: Int32Array;
  /** Interaction row number of each packed slot. */
  readonly rows: Int32Array;
  readonly items: Int32Array;
  readonly timestamps: Float64Array;
  readonly eventTypes: Uint8Array;
}

export function packHistories(data: Dataset): PackedHistories {
  const { interactions } = data;
  const userCount = data.users.ids.length;
  const start = new Int32Array(userCount + 1);
  for (let r = 0; r < interactions.length; r++) start[interactions.userIndex[r]! + 1]!++;
  for (let u = 0; u < userCount; u++) start[u + 1]! += start[u]!;
  const fill = start.slice(0, userCount);
  const rows = new Int32Array(interactions.length);
  for (let r = 0; r < interactions.length; r++) rows[fill[interactions.userIndex[r]!]!++] = r;
  const { timestamp } = interactions;
  for (let u = 0; u < userCount; u++) {
    const own = rows.subarray(start[u]!, start[u + 1]!);
    if (!isSortedByTime(own, timestamp)) own.sort((a, b) => timestamp[a]! - timestamp[b]! || a - b);
  }
  return {
    start,
    rows,
    items: gather(interactions.itemIndex, rows),
    timestamps: gather(timestamp, rows),
    eventTypes: gather(interactions.eventType, rows),
  };
}

// Interaction files are usually time-ordered already; skipping the comparator sort saves most of the cost.
function isSortedByTime(rows: Int32Array, timestamp: Float64Array): boolean {
  for (let i = 1; i < rows.length; i++) if (timestamp[rows[i]!]! < timestamp[rows[i - 1]!]!) return false;
  return true;
}

/** User u's history as views into the packed arrays. */
export function historyOf(packed: Omit<PackedHistories, 'rows'>, u: number): History {
  const from = packed.start[u]!;
  const to = packed.start[u + 1]!;
  return {
    items: packed.items.subarray(from, to),
    timestamps: packed.timestamps.subarray(from, to),
    eventTypes: packed.eventTypes.subarray(from, to),
  };
}
