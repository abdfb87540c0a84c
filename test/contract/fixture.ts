import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../src/csv/index.ts';
import { generateDataset } from '../../src/datagen/index.ts';

/** A filter every implementation under contract must make available by name. */
export interface ContractFilter {
  readonly name: string;
  readonly expression: string;
}

/**
 * The small generated dataset every Recommender implementation is built from before the contract runs,
 * with the ids and facts the cases need (read back from the CSV files, not assumed).
 */
export interface ContractFixture {
  readonly dataDir: string;
  readonly files: { readonly users: string; readonly items: string; readonly interactions: string };
  /** The user with the most interactions (and at least one purchase). */
  readonly knownUserId: string;
  /** The item with the most interactions. */
  readonly knownItemId: string;
  /** An item of items.csv that no interaction refers to. */
  readonly coldItemId: string;
  /** Every item of items.csv. */
  readonly itemIds: readonly string[];
  /** Items that interactions.csv refers to (every model knows them). */
  readonly warmItemIds: readonly string[];
  /** Distinct CATEGORY values of items.csv. */
  readonly categories: readonly string[];
  /** CATEGORY of each item, as items.csv holds it. */
  readonly categoryOf: ReadonlyMap<string, string>;
  /** Items each user purchased, per interactions.csv. */
  readonly purchasesOf: ReadonlyMap<string, ReadonlySet<string>>;
  readonly filters: readonly ContractFilter[];
}

export const CONTRACT_FILTERS = {
  excludePurchased: {
    name: 'exclude-purchased',
    expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")',
  },
  byCategory: { name: 'by-category', expression: 'INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)' },
} as const satisfies Record<string, ContractFilter>;

type Row = Record<string, string>;
/** A CSV file's rows as objects keyed by the header's column names. */
function read(path: string): Row[] {
  const { header, rows } = parseCsv(readFileSync(path), path);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]!])));
}

function mostFrequent(values: Iterable<string>, accept: (value: string) => boolean = () => true): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ranked = [...counts.entries()].filter(([v]) => accept(v)).sort((a, b) => b[1] - a[1]);
  return ranked[0]![0];
}

/** Generates the fixture's dataset (fixed seed) into a fresh temp folder; `remove` deletes the folder. */
export async function createContractFixture(): Promise<ContractFixture & { remove(): void }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'recommender-contract-'));
  const { files } = await generateDataset({
    outDir: dataDir,
    interactions: 3000,
    users: 120,
    items: 80,
    seed: 2024,
  });
  const items = read(files.items);
  const interactions = read(files.interactions);
  const purchasesOf = new Map<string, Set<string>>();
  for (const row of interactions) {
    if (row.EVENT_TYPE !== 'purchase') continue;
    const set = purchasesOf.get(row.USER_ID!) ?? new Set<string>();
    set.add(row.ITEM_ID!);
    purchasesOf.set(row.USER_ID!, set);
  }
  const used = new Set(interactions.map((r) => r.ITEM_ID!));
  const categoryOf = new Map(items.map((i) => [i.ITEM_ID!, i.CATEGORY!]));
  return {
    dataDir,
    files,
    knownUserId: mostFrequent(
      interactions.map((r) => r.USER_ID!),
      (u) => purchasesOf.has(u),
    ),
    knownItemId: mostFrequent(interactions.map((r) => r.ITEM_ID!)),
    coldItemId: items.find((i) => !used.has(i.ITEM_ID!))!.ITEM_ID!,
    itemIds: items.map((i) => i.ITEM_ID!),
    warmItemIds: items.map((i) => i.ITEM_ID!).filter((id) => used.has(id)),
    categories: [...new Set(categoryOf.values())].sort(),
    categoryOf,
    purchasesOf,
    filters: Object.values(CONTRACT_FILTERS),
    remove: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
