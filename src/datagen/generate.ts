import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, type Rng } from '../core/random.ts';
import { buildCatalogue, type Catalogue, ITEM_ID_PREFIX, itemRow, sampleItem } from './catalogue.ts';
import { ChunkedWriter } from './chunked-writer.ts';
import { headerRow } from './columns.ts';
import { type GenerateOptions, type ResolvedOptions, resolveOptions } from './options.ts';
import { allocateInteractions, drawUser, eventDevice, UserProfile, userId } from './users.ts';
import { DEVICES } from './vocabulary.ts';

/** Funnel: a view leads to a click this often, a click to a purchase this often. */
const CLICK_RATE = 0.3;
const PURCHASE_RATE = 0.25;
/** A new view returns to the previous item this often (re-engagement). */
const REVISIT_RATE = 0.1;
/** A view ignores the user's tastes and follows global popularity this often (exploration). */
const EXPLORE_RATE = 0.1;

export interface GeneratedDataset {
  readonly files: { readonly users: string; readonly items: string; readonly interactions: string };
  readonly counts: {
    readonly users: number;
    readonly items: number;
    readonly interactions: number;
    /** Items in `items.csv` that no interaction refers to. */
    readonly coldItems: number;
    readonly events: { readonly view: number; readonly click: number; readonly purchase: number };
  };
}

const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const COMMA = 44;
const NEWLINE = 10;
const ITEM_PREFIX = ascii(ITEM_ID_PREFIX);
/** EVENT_TYPE with the commas around it; EVENT_VALUE follows (the price for purchases, empty otherwise). */
const VIEW = ascii(',view,');
const CLICK = ascii(',click,');
const PURCHASE = ascii(',purchase,');
/** DEVICE cells, prefixed by the comma that closes EVENT_VALUE; the last entry is the unknown (empty) device. */
const DEVICE_CELLS = [...DEVICES, ''].map((d) => ascii(`,${d}`));

async function writeItems(path: string, catalogue: Catalogue, rng: Rng): Promise<void> {
  const writer = new ChunkedWriter(path);
  writer.text(headerRow('items'));
  for (let i = 0; i < catalogue.count; i++) {
    writer.text(itemRow(catalogue, i, rng));
    if (writer.full) await writer.flush();
  }
  await writer.close();
}

/**
 * Writes users and their interactions in one pass, user by user: each user's events are chronological,
 * the file is grouped by user (not globally sorted, which would need the whole file in memory).
 */
async function writeUsersAndInteractions(
  options: ResolvedOptions,
  files: GeneratedDataset['files'],
  catalogue: Catalogue,
  rng: Rng,
): Promise<{ events: GeneratedDataset['counts']['events']; coldItems: number }> {
  const { startTimestamp: start, endTimestamp: end } = options;
  const counts = allocateInteractions(options.users, options.interactions, rng);
  const times = new Float64Array(counts.reduce((max, c) => Math.max(max, c), 0) + 1);
  const users = new ChunkedWriter(files.users);
  const out = new ChunkedWriter(files.interactions);
  const profile = new UserProfile();
  const used = new Uint8Array(catalogue.count);
  const progress = options.progress;
  users.text(headerRow('users'));
  out.text(headerRow('interactions'));
  progress?.start('generate interactions', options.interactions);
  let view = 0;
  let click = 0;
  let purchase = 0;
  for (let u = 0; u < options.users; u++) {
    drawUser(u, rng, profile);
    users.text(profile.row);
    if (users.full) await users.flush();
    const k = counts[u]!;
    if (k === 0) continue;
    const uid = ascii(`${userId(u)},`);
    // Users join over the period (more of them early); their events spread from joining to the end.
    const joined = start + (end - start) * 0.9 * rng.next() ** 1.5;
    let sum = 0;
    for (let i = 0; i <= k; i++) times[i] = sum += rng.exponential(1);
    const span = (end - joined) / sum;
    let t = 0;
    let item = -1;
    let stage = 0;
    for (let i = 0; i < k; i++) {
      const device = eventDevice(profile, rng);
      let cells: Uint8Array;
      if (stage === 1 && rng.chance(CLICK_RATE)) {
        stage = 2;
        t = Math.min(end, t + 2 + rng.int(120));
        cells = CLICK;
        click++;
      } else if (stage === 2 && rng.chance(PURCHASE_RATE)) {
        stage = 0;
        t = Math.min(end, t + 10 + rng.int(600));
        cells = PURCHASE;
        purchase++;
      } else {
        stage = 1;
        t = Math.min(end, Math.max(t + 1, Math.floor(joined + span * times[i]!)));
        if (item < 0 || !rng.chance(REVISIT_RATE)) {
          const category = rng.chance(EXPLORE_RATE) ? -1 : profile.pickTaste(rng);
          item = sampleItem(catalogue, category, t, rng.next());
          used[item] = 1;
        }
        cells = VIEW;
        view++;
      }
      out.bytes(uid);
      out.bytes(ITEM_PREFIX);
      out.int(item);
      out.byte(COMMA);
      out.int(t);
      out.bytes(cells);
      if (cells === PURCHASE) out.cents(catalogue.priceCents[item]!);
      out.bytes(DEVICE_CELLS.at(device)!);
      out.byte(NEWLINE);
      if (out.full) {
        await out.flush();
        progress?.update(view + click + purchase);
      }
    }
  }
  await users.close();
  await out.close();
  progress?.update(options.interactions);
  progress?.stop();
  return { events: { view, click, purchase }, coldItems: used.length - used.reduce((s, x) => s + x, 0) };
}

/**
 * Generates a synthetic dataset in Personalize's CSV format: `users.csv`, `items.csv` and
 * `interactions.csv` under `outDir`, with columns in the order of the shipped schemas. The same options
 * (seed included) always give the same bytes.
 *
 * The data has the structure recommenders exploit: Zipf-like item popularity that drifts over time,
 * users who prefer a few categories, a view → click → purchase funnel, item text drawn from category
 * vocabularies, cold items and single-interaction users. Rows are streamed in large chunks, so memory
 * stays bounded by the catalogue and user counts, not the number of interactions.
 *
 * @example
 * const { files, counts } = await generateDataset({ outDir: 'data/synthetic', interactions: 1_000_000 });
 */
export async function generateDataset(options: GenerateOptions): Promise<GeneratedDataset> {
  const resolved = resolveOptions(options);
  await mkdir(resolved.outDir, { recursive: true });
  const files = {
    users: join(resolved.outDir, 'users.csv'),
    items: join(resolved.outDir, 'items.csv'),
    interactions: join(resolved.outDir, 'interactions.csv'),
  };
  // Independent streams per part, so changing how items are described never reshuffles interactions.
  const root = createRng(resolved.seed);
  const catalogueRng = createRng(root.int(2 ** 32));
  const textRng = createRng(root.int(2 ** 32));
  const eventRng = createRng(root.int(2 ** 32));
  const catalogue = buildCatalogue(
    resolved.items,
    resolved.startTimestamp,
    resolved.endTimestamp,
    catalogueRng,
  );
  await writeItems(files.items, catalogue, textRng);
  const { events, coldItems } = await writeUsersAndInteractions(resolved, files, catalogue, eventRng);
  return {
    files,
    counts: {
      users: resolved.users,
      items: resolved.items,
      interactions: resolved.interactions,
      coldItems,
      events,
    },
  };
}
