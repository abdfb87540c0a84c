import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/csv/index.ts';
import { type GeneratedDataset, generateDataset } from '../../src/datagen/index.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { DATASET_TYPES, loadSchemas } from '../../src/schemas/index.ts';

type Row = Record<string, string>;

const root = mkdtempSync(join(tmpdir(), 'datagen-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A CSV file's rows as objects keyed by the header's column names. */
function read(path: string): Row[] {
  const { header, rows } = parseCsv(readFileSync(path), path);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]!])));
}
const bytes = (dataset: GeneratedDataset): string[] =>
  DATASET_TYPES.map((type) => readFileSync(dataset.files[type], 'utf8'));

function countBy<T>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

describe('Function: generateDataset', () => {
  const days = 120;
  const endTimestamp = 1_700_000_000;
  let dataset: GeneratedDataset;
  let users: Row[];
  let items: Row[];
  let interactions: Row[];

  beforeAll(async () => {
    dataset = await generateDataset({
      outDir: join(root, 'main'),
      interactions: 20_000,
      users: 500,
      items: 300,
      seed: 11,
      days,
      endTimestamp,
    });
    users = read(dataset.files.users);
    items = read(dataset.files.items);
    interactions = read(dataset.files.interactions);
  });

  it('writes the columns of the shipped schemas, in schema order', () => {
    const schemas = loadSchemas();
    for (const type of DATASET_TYPES) {
      const header = readFileSync(dataset.files[type], 'utf8').split('\n', 1)[0];
      expect(header).toBe(schemas[type].fields.map((f) => f.name).join(','));
    }
  });

  it('writes exactly the requested numbers of rows', () => {
    expect(interactions).toHaveLength(20_000);
    expect(users).toHaveLength(500);
    expect(items).toHaveLength(300);
    expect(dataset.counts).toMatchObject({ users: 500, items: 300, interactions: 20_000 });
    const { view, click, purchase } = dataset.counts.events;
    expect(view + click + purchase).toBe(20_000);
  });

  it('gives identical bytes for the same seed and different bytes for another seed', async () => {
    const options = { interactions: 3000, users: 120, items: 80 };
    const first = await generateDataset({ ...options, outDir: join(root, 'a'), seed: 5 });
    const again = await generateDataset({ ...options, outDir: join(root, 'b'), seed: 5 });
    const other = await generateDataset({ ...options, outDir: join(root, 'c'), seed: 6 });

    expect(bytes(again)).toEqual(bytes(first));
    const [, otherItems, otherInteractions] = bytes(other);
    const [, firstItems, firstInteractions] = bytes(first);
    expect(otherItems).not.toBe(firstItems);
    expect(otherInteractions).not.toBe(firstInteractions);
  });

  it('refers only to users and items of the users and items files', () => {
    const userIds = new Set(users.map((u) => u.USER_ID));
    const itemIds = new Set(items.map((i) => i.ITEM_ID));
    expect(userIds.size).toBe(users.length);
    expect(itemIds.size).toBe(items.length);
    expect(interactions.filter((r) => !userIds.has(r.USER_ID!) || !itemIds.has(r.ITEM_ID!))).toEqual([]);
  });

  it('follows the view > click > purchase funnel, with the price as the value of purchases only', () => {
    const types = countBy(interactions.map((r) => r.EVENT_TYPE));
    expect([...types.keys()].sort()).toEqual(['click', 'purchase', 'view']);
    expect(types.get('view')!).toBeGreaterThan(types.get('click')!);
    expect(types.get('click')!).toBeGreaterThan(types.get('purchase')!);
    expect(types.get('purchase')!).toBeGreaterThan(0);

    const price = new Map(items.map((i) => [i.ITEM_ID, i.PRICE]));
    for (const row of interactions) {
      expect(row.EVENT_VALUE).toBe(row.EVENT_TYPE === 'purchase' ? price.get(row.ITEM_ID!) : '');
    }
  });

  it('skews item popularity: the top tenth of items gets a large share of interactions', () => {
    const perItem = [...countBy(interactions.map((r) => r.ITEM_ID)).values()].sort((a, b) => b - a);
    const top = perItem.slice(0, Math.ceil(items.length / 10)).reduce((s, c) => s + c, 0);
    expect(top / interactions.length).toBeGreaterThan(0.35);
  });

  it('writes integer epoch seconds inside the period, chronological per user', () => {
    const start = endTimestamp - days * 86_400;
    const last = new Map<string, number>();
    for (const row of interactions) {
      const t = Number(row.TIMESTAMP);
      expect(Number.isInteger(t)).toBe(true);
      expect(t).toBeGreaterThanOrEqual(start);
      expect(t).toBeLessThanOrEqual(endTimestamp);
      expect(t).toBeGreaterThanOrEqual(last.get(row.USER_ID!) ?? 0);
      last.set(row.USER_ID!, t);
    }
  });

  it('puts the default period in the past, in seconds rather than milliseconds', async () => {
    const small = await generateDataset({ outDir: join(root, 'default-period'), interactions: 1000 });
    const times = read(small.files.interactions).map((r) => Number(r.TIMESTAMP));
    expect(Math.max(...times)).toBeLessThan(Date.now() / 1000);
    expect(Math.min(...times)).toBeGreaterThan(1_000_000_000);
  });

  it('releases every item before its first interaction', () => {
    const created = new Map(items.map((i) => [i.ITEM_ID, Number(i.CREATION_TIMESTAMP)]));
    expect(interactions.filter((r) => Number(r.TIMESTAMP) < created.get(r.ITEM_ID!)!)).toEqual([]);
  });

  it('keeps some items without interactions and some users with exactly one', () => {
    const used = new Set(interactions.map((r) => r.ITEM_ID));
    const cold = items.filter((i) => !used.has(i.ITEM_ID));
    expect(cold.length).toBe(dataset.counts.coldItems);
    expect(cold.length).toBeGreaterThan(0);

    const perUser = countBy(interactions.map((r) => r.USER_ID));
    expect([...perUser.values()].filter((c) => c === 1).length).toBeGreaterThan(0);
    expect(Math.max(...perUser.values())).toBeGreaterThan(100);
  });

  it('gives users a few favourite categories, so interactions carry taste signal', () => {
    const categoryOf = new Map(items.map((i) => [i.ITEM_ID, i.CATEGORY]));
    const byUser = new Map<string, string[]>();
    for (const row of interactions) {
      const list = byUser.get(row.USER_ID!) ?? [];
      list.push(categoryOf.get(row.ITEM_ID!)!);
      byUser.set(row.USER_ID!, list);
    }
    const shares = [...byUser.values()]
      .filter((list) => list.length >= 30)
      .map((list) => {
        const top3 = [...countBy(list).values()].sort((a, b) => b - a).slice(0, 3);
        return top3.reduce((s, c) => s + c, 0) / list.length;
      });
    const mean = shares.reduce((s, x) => s + x, 0) / shares.length;
    // 12 categories: without tastes the top three would hold roughly a third.
    expect(mean).toBeGreaterThan(0.75);
  });

  it('drifts popularity over time, so the most popular items of the first and last months differ', () => {
    const start = endTimestamp - days * 86_400;
    const topOf = (from: number, to: number): Set<string> => {
      const window = interactions.filter((r) => Number(r.TIMESTAMP) >= from && Number(r.TIMESTAMP) < to);
      const ranked = [...countBy(window.map((r) => r.ITEM_ID!)).entries()].sort((a, b) => b[1] - a[1]);
      return new Set(ranked.slice(0, 10).map(([id]) => id));
    };
    const first = topOf(start, start + 30 * 86_400);
    const last = topOf(endTimestamp - 30 * 86_400, endTimestamp + 1);
    expect([...last].filter((id) => !first.has(id)).length).toBeGreaterThanOrEqual(3);
  });

  it('describes items with words of their category', () => {
    for (const item of items) {
      expect(item.CATEGORY).toMatch(/^[a-z]+$/);
      expect(item.TAGS).toMatch(/^([a-z0-9-]+(\|[a-z0-9-]+)*)?$/);
      if (item.DESCRIPTION) expect(item.DESCRIPTION).toContain(item.CATEGORY);
      expect(Number(item.PRICE)).toBeGreaterThan(0);
    }
    expect(new Set(items.map((i) => i.CATEGORY)).size).toBeGreaterThan(5);
  });

  it('fills users with categorical attributes', () => {
    expect(new Set(users.map((u) => u.MEMBERSHIP))).toEqual(new Set(['free', 'silver', 'gold', 'platinum']));
    expect(new Set(users.map((u) => u.AGE_GROUP)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(users.map((u) => u.REGION)).size).toBeGreaterThanOrEqual(5);
  });

  it('scales users and items with the interaction count when they are not given', async () => {
    const scaled = await generateDataset({ outDir: join(root, 'scaled'), interactions: 10_000 });
    expect(scaled.counts).toMatchObject({ users: 500, items: 200, interactions: 10_000 });
  });

  it('leaves users without interactions when there are fewer interactions than users', async () => {
    const sparse = await generateDataset({
      outDir: join(root, 'sparse'),
      interactions: 5,
      users: 20,
      items: 10,
    });
    expect(read(sparse.files.interactions)).toHaveLength(5);
    expect(read(sparse.files.users)).toHaveLength(20);
  });

  it('fails with InvalidInputError naming each bad option and its limit', async () => {
    const attempt = generateDataset({
      outDir: join(root, 'bad'),
      interactions: 2.5,
      items: 1,
      seed: Number.NaN,
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    const error = (await attempt.catch((e: unknown) => e)) as InvalidInputError;
    expect(error.issues.map((i) => i.field)).toEqual(['interactions', 'items', 'seed']);
    expect(error.issues[0]!.message).toContain('1 to 100000000');
    expect(error.issues[1]!.message).toContain('2 to 5000000');
  });

  it('rejects an end of period given in milliseconds', async () => {
    const attempt = generateDataset({ outDir: join(root, 'ms'), interactions: 10, endTimestamp: 1.7e12 });
    await expect(attempt).rejects.toThrow(/endTimestamp: must be whole Unix epoch seconds/);
  });
});
