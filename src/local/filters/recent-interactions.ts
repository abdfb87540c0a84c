/** Interactions considered per user and event type (Personalize's adjustable quota, reference §5.4). */
export const RECENT_INTERACTIONS_PER_EVENT_TYPE = 100;

/** One interaction as the filters see it. */
export interface RecentInteraction {
  readonly item: number;
  /** Lower-cased: EVENT_TYPE is the only field filters match ignoring case. */
  readonly eventType: string;
}

/**
 * The interactions Interactions conditions look at: the newest `perEventType` of each event type, from a
 * user's interactions listed newest first.
 */
export function recentInteractions(
  newestFirst: Iterable<{ readonly item: number; readonly eventType: string }>,
  perEventType = RECENT_INTERACTIONS_PER_EVENT_TYPE,
): RecentInteraction[] {
  const kept: RecentInteraction[] = [];
  const counts = new Map<string, number>();
  for (const { item, eventType } of newestFirst) {
    const type = eventType.toLowerCase();
    const count = counts.get(type) ?? 0;
    if (count >= perEventType) continue;
    counts.set(type, count + 1);
    kept.push({ item, eventType: type });
  }
  return kept;
}
