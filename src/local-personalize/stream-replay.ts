import type { LocalRecommender } from '../local/index.ts';
import { LIMITS } from '../recommender/limits.ts';
import type { InteractionEvent } from '../recommender/types.ts';
import type { LocalPersonalize } from './control-plane.ts';
import { dataOf, datasetOfGroup } from './operations/datasets.ts';
import type { ResourceRecord } from './resources.ts';

/**
 * Gives an engine that was not trained on a dataset group's data the events streamed into the group
 * (PutEvents rows kept in its Interactions dataset), as if they had been sent to it: the demo engine `npm start`
 * trains from its data files would otherwise forget them at every restart. Rows keep no session id or event id,
 * so each row's user id stands for both; the caller applies them once per engine.
 */
export async function replayStreamedEvents(
  plane: LocalPersonalize,
  group: ResourceRecord,
  engine: LocalRecommender,
): Promise<void> {
  const dataset = datasetOfGroup(plane, group, 'interactions');
  if (dataset === undefined) return;
  let userId: string | undefined;
  let eventList: InteractionEvent[] = [];
  const flush = async () => {
    if (userId !== undefined && eventList.length > 0) {
      await engine.putEvents({ sessionId: userId, userId, eventList });
    }
    eventList = [];
  };
  // Consecutive rows of one user (one PutEvents call) go together, in requests of the size PutEvents allows.
  for (const row of await dataOf(plane, dataset).streamedRows()) {
    if (row.USER_ID !== userId || eventList.length === LIMITS.eventList.max) {
      await flush();
      userId = row.USER_ID;
    }
    eventList.push({
      eventType: row.EVENT_TYPE!,
      itemId: row.ITEM_ID!,
      sentAt: new Date(Number(row.TIMESTAMP) * 1000),
    });
  }
  await flush();
}
