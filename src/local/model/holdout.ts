import { heldOutCount, MIN_INTERACTIONS_TO_HOLD_OUT } from '../../core/held-out.ts';
import { createRng } from '../../core/random.ts';
import type { Dataset, InteractionTable } from '../data/types.ts';
import { gather } from './gather.ts';
import { packHistories } from './user-histories.ts';

export interface Holdout {
  /** The training data minus the held-out interactions (same user and item indices). */
  readonly train: Dataset;
  /** Users sampled for tuning, ascending. */
  readonly users: Int32Array;
  /** Per sampled user, the held-out item indices. */
  readonly relevant: readonly Int32Array[];
}

/**
 * Carves a tuning split out of training data the way the benchmarks split train from test: each sampled
 * user gives `heldOutCount` of their newest interactions. Sampling at most `maxUsers` users (seeded) bounds
 * tuning cost on large data; unsampled users keep all their interactions.
 */
export function carveHoldout(data: Dataset, maxUsers: number, seed: number): Holdout {
  const packed = packHistories(data);
  const userCount = data.users.ids.length;
  const eligible: number[] = [];
  for (let u = 0; u < userCount; u++)
    if (packed.start[u + 1]! - packed.start[u]! >= MIN_INTERACTIONS_TO_HOLD_OUT) eligible.push(u);
  const rng = createRng(seed);
  for (let i = eligible.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [eligible[i], eligible[j]] = [eligible[j]!, eligible[i]!];
  }
  const users = Int32Array.from(eligible.slice(0, maxUsers)).sort();

  const keep = new Uint8Array(data.interactions.length).fill(1);
  const relevant = Array.from(users, (u) => {
    const to = packed.start[u + 1]!;
    const from = to - heldOutCount(to - packed.start[u]!);
    for (let slot = from; slot < to; slot++) keep[packed.rows[slot]!] = 0;
    return packed.items.slice(from, to);
  });
  return { train: { ...data, interactions: subsetRows(data.interactions, keep) }, users, relevant };
}

/** The rows of `table` where `keep` is 1, with the same user and item indices. */
export function subsetRows(table: InteractionTable, keep: Uint8Array): InteractionTable {
  let length = 0;
  for (let r = 0; r < table.length; r++) length += keep[r]!;
  const rows = new Int32Array(length);
  for (let r = 0, o = 0; r < table.length; r++) if (keep[r] === 1) rows[o++] = r;
  return {
    length,
    userIndex: gather(table.userIndex, rows),
    itemIndex: gather(table.itemIndex, rows),
    timestamp: gather(table.timestamp, rows),
    eventType: gather(table.eventType, rows),
    eventValue: gather(table.eventValue, rows),
    ...(table.context && {
      context: table.context.map((c) => ({
        name: c.name,
        values: c.values,
        codes: gather(c.codes, rows),
      })),
    }),
  };
}
