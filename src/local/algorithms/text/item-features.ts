import type { AttributeKind, AttributeTable } from '../../data/types.ts';
import { type Csr, fromCoo, normalizeRows } from '../../sparse/index.ts';
import { tokenize } from './tokenize.ts';

/** Features present in more than this share of items say nothing about similarity and are left out. */
export const MAX_FEATURE_SHARE = 0.5;

/** The fitted vocabulary: one feature per categorical `COLUMN=value` and per text token, with its IDF. */
export interface FeatureSpace {
  /** Feature names: `GENRES=drama` for categories, `~word` for tokens of any textual column. */
  readonly names: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly idf: Float32Array;
  /** Kinds of the metadata columns features were drawn from (numeric columns are not features). */
  readonly columns: ReadonlyMap<string, AttributeKind>;
}

/** Raw attribute values of one item, as PutItems sends them. */
export type ItemAttributes = Readonly<Record<string, string | number | boolean | null | undefined>>;

function categoryFeature(column: string, value: string): string {
  return `${column}=${value.trim().toLowerCase()}`;
}

function tokenFeature(token: string): string {
  return `~${token}`;
}

/** Term frequencies of one item's features, keyed by feature name. */
function countFeatures(
  values: Iterable<readonly [name: string, kind: AttributeKind, value: readonly string[] | string | null]>,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [name, kind, value] of values) {
    if (kind === 'categorical') {
      for (const v of value as readonly string[]) counts.set(categoryFeature(name, v), 1);
    } else if (kind === 'textual' && value) {
      for (const token of tokenize(value as string)) {
        const feature = tokenFeature(token);
        counts.set(feature, (counts.get(feature) ?? 0) + 1);
      }
    }
  }
  return counts;
}

/** Sublinear term frequency times IDF: a word repeated ten times is not ten times as telling. */
function weight(tf: number, idf: number): number {
  return (1 + Math.log(tf)) * idf;
}

/**
 * TF-IDF item × feature matrix (rows L2-normalised, so row dot products are cosines) from the categorical
 * and textual item columns. Items without metadata get empty rows.
 */
export function fitItemFeatures(
  attributes: AttributeTable,
  itemCount: number,
): { space: FeatureSpace; matrix: Csr } {
  const columns = attributes.columns.filter((c) => c.kind !== 'numeric');
  const perItem: Map<string, number>[] = [];
  const df = new Map<string, number>();
  let described = 0;
  for (let i = 0; i < itemCount; i++) {
    const counts = countFeatures(
      columns.map(
        (c) =>
          [c.name, c.kind, (c.values as readonly (readonly string[] | string | null)[])[i] ?? null] as const,
      ),
    );
    perItem.push(counts);
    if (counts.size > 0) described++;
    for (const feature of counts.keys()) df.set(feature, (df.get(feature) ?? 0) + 1);
  }
  const names: string[] = [];
  const idfValues: number[] = [];
  const indexOf = new Map<string, number>();
  for (const [feature, count] of df) {
    if (count > MAX_FEATURE_SHARE * described && described > 2) continue;
    indexOf.set(feature, names.length);
    names.push(feature);
    idfValues.push(Math.log((1 + described) / (1 + count)) + 1);
  }
  const idf = Float32Array.from(idfValues);
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  perItem.forEach((counts, i) => {
    for (const [feature, tf] of counts) {
      const f = indexOf.get(feature);
      if (f === undefined) continue;
      rows.push(i);
      cols.push(f);
      values.push(weight(tf, idf[f]!));
    }
  });
  const raw = fromCoo(
    itemCount,
    names.length,
    Int32Array.from(rows),
    Int32Array.from(cols),
    Float32Array.from(values),
  );
  const space = { names, indexOf, idf, columns: new Map(columns.map((c) => [c.name, c.kind] as const)) };
  return { space, matrix: normalizeRows(raw, 'l2') };
}

/**
 * The L2-normalised feature row (1 × features) of an item that was not in the training data, from raw
 * attribute values: categorical strings are `|`-separated, features unknown to the vocabulary are skipped.
 */
export function featurize(space: FeatureSpace, attributes: ItemAttributes): Csr {
  const values: [string, AttributeKind, readonly string[] | string | null][] = [];
  for (const [name, raw] of Object.entries(attributes)) {
    const kind = space.columns.get(name);
    if (kind === undefined || raw === null || raw === undefined) continue;
    const text = String(raw);
    values.push([name, kind, kind === 'categorical' ? text.split('|').filter((v) => v !== '') : text]);
  }
  const cols: number[] = [];
  const data: number[] = [];
  for (const [feature, tf] of countFeatures(values)) {
    const f = space.indexOf.get(feature);
    if (f === undefined) continue;
    cols.push(f);
    data.push(weight(tf, space.idf[f]!));
  }
  const row = fromCoo(
    1,
    space.names.length,
    new Int32Array(cols.length),
    Int32Array.from(cols),
    Float32Array.from(data),
  );
  return normalizeRows(row, 'l2');
}
