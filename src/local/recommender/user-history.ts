import type { RecentInteraction } from '../filters/recent-interactions.ts';
import { recentInteractions } from '../filters/recent-interactions.ts';
import type { History, HybridModel } from '../model/types.ts';
import type { LiveEvent } from './live-histories.ts';

const EMPTY: History = {
  items: new Int32Array(0),
  timestamps: new Float64Array(0),
  eventTypes: new Uint8Array(0),
};

/** A user's training history and real-time events, resolved against the model's current items. */
export interface UserHistory {
  readonly userIndex: number | undefined;
  /** Training interactions followed by the real-time events whose item the model knows. */
  readonly history: History;
  /** The newest interactions per event type, for Interactions filter conditions. */
  recent(): readonly RecentInteraction[];
}

/** Index of an event type in the model's list, matched ignoring case; unknown types count as the first type. */
function eventTypeIndex(model: HybridModel, eventType: string): number {
  const exact = model.eventTypes.indexOf(eventType);
  if (exact >= 0) return exact;
  const lower = eventType.toLowerCase();
  return Math.max(
    0,
    model.eventTypes.findIndex((t) => t.toLowerCase() === lower),
  );
}

/** The history to score a user (or anonymous session) with; an absent or unknown user has no training part. */
export function userHistory(
  model: HybridModel,
  userId: string | undefined,
  live: readonly LiveEvent[],
): UserHistory {
  const userIndex = userId === undefined ? undefined : model.users.indexOf.get(userId);
  const base = userIndex === undefined ? EMPTY : model.userHistory(userIndex);
  const known = live.flatMap((event) => {
    const item = event.itemId === undefined ? undefined : model.items.indexOf.get(event.itemId);
    return item === undefined ? [] : [{ item, event }];
  });
  const history: History =
    known.length === 0
      ? base
      : {
          items: Int32Array.from([...base.items, ...known.map((k) => k.item)]),
          timestamps: Float64Array.from([...base.timestamps, ...known.map((k) => k.event.timestamp)]),
          eventTypes: Uint8Array.from([
            ...(base.eventTypes ?? new Uint8Array(base.items.length)),
            ...known.map((k) => eventTypeIndex(model, k.event.eventType)),
          ]),
        };
  return {
    userIndex,
    history,
    recent: () =>
      recentInteractions(
        (function* newestFirst() {
          for (let i = known.length - 1; i >= 0; i--)
            yield { item: known[i]!.item, eventType: known[i]!.event.eventType };
          for (let i = base.items.length - 1; i >= 0; i--) {
            yield { item: base.items[i]!, eventType: model.eventTypes[base.eventTypes?.[i] ?? 0] ?? '' };
          }
        })(),
      ),
  };
}
