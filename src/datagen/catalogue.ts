import type { Rng } from '../core/random.ts';
import { CATEGORIES, COMMON_WORDS } from './vocabulary.ts';

/** Zipf exponent of item popularity within the whole catalogue. */
const POPULARITY_EXPONENT = 1.05;
/** Share of items that never receive an interaction (cold items). */
const COLD_SHARE = 0.05;
/** Share of items released during the simulated period rather than before it. */
const NEW_ITEM_SHARE = 0.25;
/** Share of items with a temporary burst of popularity (what "trending" should find). */
const TRENDING_SHARE = 0.15;
/** Budget of cumulative-weight slots (time buckets × items), which bounds the tables to ~160 MB. */
const MAX_TABLE_SLOTS = 20_000_000;
const MAX_BUCKETS = 24;
const DAY_SECONDS = 86_400;

/**
 * The synthetic catalogue as parallel arrays, plus per-time-bucket popularity tables. Popularity drifts
 * over the period (new releases, bursts), so each bucket has its own cumulative weights; sampling an item
 * of a category is a binary search in that category's slice.
 */
export interface Catalogue {
  readonly count: number;
  readonly category: Uint8Array;
  /** Whole cents, so CSV text and purchase values are exact. */
  readonly priceCents: Int32Array;
  readonly created: Float64Array;
  readonly startTimestamp: number;
  readonly bucketSeconds: number;
  readonly buckets: number;
  /** Item indices grouped by category; `categoryStart[c]..categoryStart[c + 1]` is category c. */
  readonly order: Int32Array;
  readonly categoryStart: Int32Array;
  /** `buckets × count` running sums of weight, in `order`, one row per bucket. */
  readonly cumulative: Float64Array;
}

function shuffled(n: number, rng: Rng): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** Categories get mildly skewed shares of the catalogue (first ones larger). */
function pickCategory(rng: Rng): number {
  let total = 0;
  for (let c = 0; c < CATEGORIES.length; c++) total += 1 / Math.sqrt(c + 1);
  let r = rng.next() * total;
  for (let c = 0; c < CATEGORIES.length; c++) {
    r -= 1 / Math.sqrt(c + 1);
    if (r < 0) return c;
  }
  return CATEGORIES.length - 1;
}

function distinctPicks(words: readonly string[], count: number, rng: Rng): string[] {
  const picked: string[] = [];
  while (picked.length < count) {
    const word = words[rng.int(words.length)]!;
    if (!picked.includes(word)) picked.push(word);
  }
  return picked;
}

/** Item ids are the prefix plus the index, so no id strings are kept in memory. */
export const ITEM_ID_PREFIX = 'i';

export function itemId(index: number): string {
  return `${ITEM_ID_PREFIX}${index}`;
}

/** Draws the catalogue's categories, prices, release times and popularity over time. */
export function buildCatalogue(
  count: number,
  startTimestamp: number,
  endTimestamp: number,
  rng: Rng,
): Catalogue {
  const buckets = Math.max(2, Math.min(MAX_BUCKETS, Math.floor(MAX_TABLE_SLOTS / count)));
  const bucketSeconds = (endTimestamp - startTimestamp) / buckets;
  const rank = shuffled(count, rng);
  const coldCount = Math.max(1, Math.floor(count * COLD_SHARE));
  const priceCents = new Int32Array(count);
  const category = new Uint8Array(count);
  const created = new Float64Array(count);
  const base = new Float64Array(count);
  const firstBucket = new Int32Array(count);
  const burstPeak = new Float64Array(count).fill(-1);
  const burstAmplitude = new Float64Array(count);
  const burstWidth = new Float64Array(count);

  for (let i = 0; i < count; i++) {
    const r = rank[i]!;
    // The tail of the popularity ranking stays cold; the head item always exists from the start, so every
    // time bucket has at least one item to sample.
    base[i] = r >= count - coldCount ? 0 : 1 / (r + 1) ** POPULARITY_EXPONENT;
    const c = pickCategory(rng);
    category[i] = c;
    const isNew = r !== 0 && rng.chance(NEW_ITEM_SHARE);
    if (isNew) {
      firstBucket[i] = 1 + rng.int(buckets - 1);
      // Released just before the bucket opens, so no interaction can precede the release.
      created[i] = Math.floor(startTimestamp + firstBucket[i]! * bucketSeconds) - 1 - rng.int(DAY_SECONDS);
      burstPeak[i] = firstBucket[i]!;
      burstAmplitude[i] = rng.range(2, 6);
      burstWidth[i] = rng.range(1, 3);
    } else {
      created[i] = startTimestamp - 1 - rng.int(365 * DAY_SECONDS);
      if (rng.chance(TRENDING_SHARE)) {
        burstPeak[i] = rng.range(0, buckets);
        burstAmplitude[i] = rng.range(2, 8);
        burstWidth[i] = rng.range(0.5, 2);
      }
    }
    priceCents[i] = Math.round(Math.max(0.99, CATEGORIES[c]!.basePrice * Math.exp(rng.normal(0, 0.5))) * 100);
  }

  const order = new Int32Array(count);
  const categoryStart = new Int32Array(CATEGORIES.length + 1);
  for (let i = 0; i < count; i++) categoryStart[category[i]! + 1]!++;
  for (let c = 0; c < CATEGORIES.length; c++) categoryStart[c + 1]! += categoryStart[c]!;
  const fill = categoryStart.slice(0, CATEGORIES.length);
  for (let i = 0; i < count; i++) order[fill[category[i]!]!++] = i;

  const cumulative = new Float64Array(buckets * count);
  for (let b = 0; b < buckets; b++) {
    let sum = 0;
    for (let p = 0; p < count; p++) {
      const i = order[p]!;
      if (b >= firstBucket[i]! && burstPeak[i]! >= 0) {
        const z = (b - burstPeak[i]!) / burstWidth[i]!;
        sum += base[i]! * (1 + burstAmplitude[i]! * Math.exp(-z * z));
      } else if (b >= firstBucket[i]!) {
        sum += base[i]!;
      }
      cumulative[b * count + p] = sum;
    }
  }

  return {
    count,
    category,
    priceCents,
    created,
    startTimestamp,
    bucketSeconds,
    buckets,
    order,
    categoryStart,
    cumulative,
  };
}

/**
 * One `items.csv` row (ITEM_ID,CATEGORY,TAGS,BRAND,PRICE,CREATION_TIMESTAMP,DESCRIPTION). The words come from
 * the item's category vocabulary, so tags and descriptions of one category overlap.
 */
export function itemRow(catalogue: Catalogue, index: number, rng: Rng): string {
  const vocabulary = CATEGORIES[catalogue.category[index]!]!;
  const tags = rng.chance(0.03) ? [] : distinctPicks(vocabulary.tags, 1 + rng.int(3), rng);
  const brand = rng.chance(0.05) ? '' : vocabulary.brands[rng.int(vocabulary.brands.length)]!;
  const noun = vocabulary.nouns[rng.int(vocabulary.nouns.length)]!;
  const extra = distinctPicks(COMMON_WORDS, 1 + rng.int(3), rng);
  const description = rng.chance(0.02)
    ? ''
    : [extra[0], brand, ...tags, noun, 'for', vocabulary.name, 'lovers', ...extra.slice(1)]
        .filter((word) => word)
        .join(' ');
  const cents = catalogue.priceCents[index]!;
  const price = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return `${itemId(index)},${vocabulary.name},${tags.join('|')},${brand},${price},${catalogue.created[index]},${description}\n`;
}

/**
 * Draws an item of `category` (or of the whole catalogue when `category` is -1 or has no live item) at
 * time `t`, proportionally to its popularity then. `r` is uniform in [0, 1).
 */
export function sampleItem(catalogue: Catalogue, category: number, t: number, r: number): number {
  const { count, cumulative, categoryStart, order } = catalogue;
  const bucket = Math.min(
    catalogue.buckets - 1,
    Math.max(0, Math.floor((t - catalogue.startTimestamp) / catalogue.bucketSeconds)),
  );
  const row = bucket * count;
  let from = category < 0 ? 0 : categoryStart[category]!;
  let to = category < 0 ? count : categoryStart[category + 1]!;
  let low = from > 0 ? cumulative[row + from - 1]! : 0;
  let high = to > from ? cumulative[row + to - 1]! : low;
  if (high <= low) {
    from = 0;
    to = count;
    low = 0;
    high = cumulative[row + count - 1]!;
  }
  let target = low + r * (high - low);
  // Rounding can land exactly on the top; aim at the first live item instead of a zero-weight (cold) one.
  if (!(target < high)) target = low;
  let lo = from;
  let hi = to - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[row + mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return order[lo]!;
}
