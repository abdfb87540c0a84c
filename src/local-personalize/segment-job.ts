import { BATCH_LIMITS } from '../batch/jobs/batch-limits.ts';
import { parseItemAttributesQuery } from '../batch/jobs/segment-query.ts';
import { InvalidInputError } from '../errors.ts';
import type { AttributeColumn } from '../local/data/types.ts';
import type { HybridModel } from '../local/model/types.ts';
import { notJsonLine, parseLine } from './batch-lines.ts';
import { usersByAffinity } from './user-affinity.ts';

/** The two USER_SEGMENTATION recipes, by the input each line carries (personalize-reference.md §6.1). */
export type SegmentRecipe = 'aws-item-affinity' | 'aws-item-attribute-affinity';

const MAX_QUERIES: Readonly<Record<SegmentRecipe, number>> = {
  'aws-item-affinity': BATCH_LIMITS.segmentQueries['item-affinity'],
  'aws-item-attribute-affinity': BATCH_LIMITS.segmentQueries['item-attribute-affinity'],
};

/** One input line: the items its segment is for, or why it has none. */
type Query = { readonly items: number[] } | { readonly error: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function itemQuery(model: HybridModel, line: Record<string, unknown>): Query {
  const { itemId } = line;
  if (typeof itemId !== 'string' || itemId === '') return { error: 'itemId must be a non-empty string' };
  const item = model.items.indexOf.get(itemId);
  return item === undefined ? { error: `itemId ${itemId} is not in the training data` } : { items: [item] };
}

/** Whether row `row` of `column` equals `value`: any of a categorical row's values, or the number. */
function matches(column: AttributeColumn, row: number, value: string): boolean {
  if (column.kind === 'categorical') return column.values[row]?.includes(value) ?? false;
  if (column.kind === 'numeric') return value.trim() !== '' && column.values[row] === Number(value);
  return false;
}

function attributeQuery(model: HybridModel, text: unknown): Query {
  if (typeof text !== 'string' || text === '') return { error: 'itemAttributes must be a non-empty string' };
  let conditions: ReturnType<typeof parseItemAttributesQuery>;
  try {
    conditions = parseItemAttributesQuery(text, 'itemAttributes');
  } catch (error) {
    if (error instanceof InvalidInputError) return { error: error.issues[0]!.message };
    throw error;
  }
  const columns: { column: AttributeColumn; value: string }[] = [];
  for (const { column: name, value } of conditions) {
    // Personalize's examples write columns in lower case (ITEMS.genres); schema columns are matched ignoring case.
    const column = model.itemAttributes.columns.find((c) => c.name.toUpperCase() === name.toUpperCase());
    if (column === undefined) return { error: `${name} is not a column of the Items dataset` };
    if (column.kind === 'textual')
      return { error: `${name} is a textual column; segments need non-textual ones` };
    columns.push({ column, value });
  }
  const items: number[] = [];
  for (let row = 0; row < model.items.ids.length; row++) {
    if (columns.every(({ column, value }) => matches(column, row, value))) items.push(row);
  }
  return items.length === 0 ? { error: 'no item has these attributes' } : { items };
}

/**
 * The output of a batch segment job for the lines of its input file (personalize-reference.md §6.1): per line
 * `{"input":{"itemId":…},"output":{"recommendedUsers":[…]},"error":null}` (Item-Affinity) or
 * `{"itemAttributes":…,"output":{"recommendedUsers":[…]},"error":null}` (Item-Attribute-Affinity), users most
 * likely first; a line that is not JSON, names an unknown item or column, or matches no item gets `output`
 * null and the reason in `error`. A file with more queries than Personalize takes fails the job.
 */
export async function segmentOutput(
  model: HybridModel,
  recipe: SegmentRecipe,
  lines: readonly string[],
  numResults: number,
): Promise<string> {
  if (lines.length > MAX_QUERIES[recipe]) {
    throw new Error(
      `the input file has ${lines.length} queries; ${recipe} takes at most ${MAX_QUERIES[recipe]} per input file`,
    );
  }
  const parsed = lines.map((raw) => {
    const json = parseLine(raw);
    if (json === undefined) return undefined;
    const line = isRecord(json.value) ? json.value : {};
    const query =
      recipe === 'aws-item-affinity' ? itemQuery(model, line) : attributeQuery(model, line.itemAttributes);
    return { input: json.value, line, query };
  });
  const asked = parsed.flatMap((p) => (p && 'items' in p.query ? [p.query.items] : []));
  const segments = await usersByAffinity(model, asked, numResults);
  let next = 0;
  return parsed
    .map((p, i) => {
      if (p === undefined) return notJsonLine(lines[i]!);
      const output = 'items' in p.query ? { recommendedUsers: segments[next++]! } : null;
      const error = 'error' in p.query ? p.query.error : null;
      const head =
        recipe === 'aws-item-affinity'
          ? { input: p.input }
          : { itemAttributes: p.line.itemAttributes ?? p.input };
      return `${JSON.stringify({ ...head, output, error })}\n`;
    })
    .join('');
}
