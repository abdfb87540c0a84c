import { setImmediate as nextTurn } from 'node:timers/promises';
import { probability, softmaxOf } from '../core/softmax.ts';
import { TopKHeap } from '../core/top-k-heap.ts';
import type { HybridModel } from '../local/model/types.ts';

/** Users scored between two turns of the event loop, so a segment job leaves the server answering. */
const USERS_PER_TURN = 256;

/**
 * The users most likely to interact with each item set of `queries` (model item indices), best first, at most
 * `k` each: a user's affinity to a set is the probability, under the softmax of the hybrid's scores for that
 * user's training history, that their next interaction is one of its items (Item-Affinity asks one item,
 * Item-Attribute-Affinity every item with the attributes). Users without interactions have no preference to
 * rank and are left out. One pass over the users answers every query of a job.
 */
export async function usersByAffinity(
  model: HybridModel,
  queries: readonly (readonly number[])[],
  k: number,
): Promise<string[][]> {
  if (queries.length === 0) return [];
  const userCount = model.users.ids.length;
  const heaps = queries.map(() => new TopKHeap(Math.max(1, Math.min(k, userCount))));
  let scores = new Float32Array(model.items.ids.length);
  for (let user = 0; user < userCount; user++) {
    if (user % USERS_PER_TURN === USERS_PER_TURN - 1) await nextTurn();
    const history = model.userHistory(user);
    if (history.items.length === 0) continue;
    // PutItems may have added items to the served model while this pass waited.
    if (scores.length !== model.items.ids.length) scores = new Float32Array(model.items.ids.length);
    model.scoreAll({ userIndex: user, history }, scores);
    const softmax = softmaxOf(scores);
    queries.forEach((items, q) => {
      let affinity = 0;
      for (const item of items) affinity += probability(scores[item]!, softmax);
      const heap = heaps[q]!;
      if (heap.admits(user, affinity)) heap.push(user, affinity);
    });
  }
  return heaps.map((heap) => {
    const n = heap.drainBestFirst();
    return Array.from(heap.ids.subarray(0, n), (user) => model.users.ids[user]!);
  });
}
