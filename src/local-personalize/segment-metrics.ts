import { createRng } from '../core/random.ts';
import type { Dataset } from '../local/data/types.ts';
import { subsetRows } from '../local/model/holdout.ts';
import { type TrainOptions, trainHybrid } from '../local/model/train.ts';
import { packHistories } from '../local/model/user-histories.ts';
import { usersByAffinity } from './user-affinity.ts';

/** Share of each user's history, newest first, held out (Personalize's USER_SEGMENTATION split is 80/20). */
const HELD_OUT_SHARE = 0.2;
/** Held-out items whose segments are checked at most: each costs little, but bounds the work on large data. */
const MAX_TEST_ITEMS = 200;
/** The segment size the metrics judge: the top 1% of users. */
const TOP_SHARE = 0.01;

/** The newest 20% of each user's history with ≥ 2 interactions as ground truth: held-out users per item. */
function segmentSplit(data: Dataset): { train: Dataset; interactors: Map<number, Set<number>> } {
  const packed = packHistories(data);
  const keep = new Uint8Array(data.interactions.length).fill(1);
  const interactors = new Map<number, Set<number>>();
  for (let u = 0; u < data.users.ids.length; u++) {
    const from = packed.start[u]!;
    const to = packed.start[u + 1]!;
    if (to - from < 2) continue;
    for (let slot = to - Math.max(1, Math.floor((to - from) * HELD_OUT_SHARE)); slot < to; slot++) {
      keep[packed.rows[slot]!] = 0;
      const item = packed.items[slot]!;
      let users = interactors.get(item);
      if (users === undefined) interactors.set(item, (users = new Set()));
      users.add(u);
    }
  }
  return { train: { ...data, interactions: subsetRows(data.interactions, keep) }, interactors };
}

/**
 * GetSolutionMetrics' values for a USER_SEGMENTATION version (Item-Affinity's model; Item-Attribute-Affinity
 * ranks with the same one): trained on the older 80% of each user's interactions, each held-out item's segment
 * (the top 1% of users) is checked against the users who did interact with it. `hits_at_1_percent` is the
 * share of items whose segment holds at least one of them, `recall_at_1_percent` the share of them it holds.
 */
export async function segmentationMetrics(
  data: Dataset,
  options: TrainOptions,
  seed = 42,
): Promise<Record<string, number>> {
  const { train, interactors } = segmentSplit(data);
  const items = [...interactors.keys()].sort((a, b) => a - b);
  const rng = createRng(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  const tested = items.slice(0, MAX_TEST_ITEMS);
  const model = trainHybrid(train, options);
  const size = Math.max(1, Math.ceil(data.users.ids.length * TOP_SHARE));
  const segments = await usersByAffinity(
    model,
    tested.map((item) => [item]),
    size,
  );
  let hits = 0;
  let recall = 0;
  tested.forEach((item, i) => {
    const actual = interactors.get(item)!;
    const found = segments[i]!.filter((userId) => actual.has(model.users.indexOf.get(userId)!)).length;
    if (found > 0) hits++;
    recall += found / actual.size;
  });
  const n = Math.max(1, tested.length);
  const round = (value: number) => Math.round((value / n) * 1e4) / 1e4;
  return { hits_at_1_percent: round(hits), recall_at_1_percent: round(recall) };
}
