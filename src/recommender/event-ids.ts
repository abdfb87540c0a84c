import { createHash } from 'node:crypto';
import type { InteractionEvent } from './types.ts';

/**
 * Events without an id get one derived from their content, so a client that resends a batch (after a 5xx)
 * does not count its events twice: Personalize and the local model keep an event id once.
 */
export function withEventIds(sessionId: string, events: readonly InteractionEvent[]): InteractionEvent[] {
  return events.map((event) => {
    if (event.eventId !== undefined) return event;
    const digest = createHash('sha256')
      .update(JSON.stringify([sessionId, { ...event, sentAt: event.sentAt.getTime() }]))
      .digest('hex');
    return { ...event, eventId: `evt-${digest.slice(0, 32)}` };
  });
}
