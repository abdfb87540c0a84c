import { writeBatchInput } from '../../src/batch/jobs/batch-input.ts';
import type { SegmentRecipe } from '../../src/batch/jobs/batch-limits.ts';
import { readIdColumn } from '../../src/batch/jobs/id-column.ts';
import { checkAttributeQueries, type NamedQuery } from '../../src/batch/jobs/segment-query.ts';
import { readAttributeQueryFile } from '../../src/batch/jobs/segment-query-file.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { type JobFlags, runJob } from './batch-job.ts';

export interface SegmentFlags extends JobFlags {
  readonly recipe?: SegmentRecipe;
  readonly itemIds?: string;
  readonly attributes?: string;
  readonly itemAttributes?: readonly string[];
}

const SOURCES =
  'give --item-ids <csv> (Item-Affinity), --attributes <file> or --item-attributes <query> ' +
  '(Item-Attribute-Affinity), or --input <jsonl>';

/** The recipe the flags ask for: `--recipe`, else the one whose source is given. */
function recipeOf(flags: SegmentFlags): SegmentRecipe {
  const queries = flags.attributes !== undefined || flags.itemAttributes !== undefined;
  const given = [flags.itemIds !== undefined, queries, flags.input !== undefined].filter(Boolean).length;
  if (given !== 1) {
    throw new InvalidInputError([
      { field: 'input', message: given === 0 ? SOURCES : `${SOURCES}: only one of them` },
    ]);
  }
  const recipe = flags.recipe ?? (queries ? 'item-attribute-affinity' : 'item-affinity');
  if ((recipe === 'item-affinity' && queries) || (recipe === 'item-attribute-affinity' && flags.itemIds)) {
    throw new InvalidInputError([
      {
        field: 'recipe',
        message:
          'item-affinity takes --item-ids; item-attribute-affinity takes --attributes or --item-attributes',
      },
    ]);
  }
  return recipe;
}

/** The attribute queries of the file and the flags, checked before any AWS call. */
async function attributeQueries(flags: SegmentFlags): Promise<string[]> {
  const queries: NamedQuery[] = [
    ...(flags.attributes === undefined ? [] : await readAttributeQueryFile(flags.attributes)),
    ...(flags.itemAttributes ?? []).map((query, i) => ({ query, field: `--item-attributes #${i + 1}` })),
  ];
  checkAttributeQueries(queries);
  return queries.map((q) => q.query);
}

/** A batch segment job: users for each item (Item-Affinity) or for each attribute query (Item-Attribute-Affinity). */
export async function batchSegment(flags: SegmentFlags): Promise<number> {
  const recipe = recipeOf(flags);
  const queries = recipe === 'item-attribute-affinity' && !flags.input ? await attributeQueries(flags) : [];
  return runJob('segment', recipe, flags, async (path) =>
    writeBatchInput(
      recipe === 'item-affinity'
        ? { recipe, items: await readIdColumn(flags.itemIds!, 'ITEM_ID'), filterValues: flags.filterValues }
        : { recipe, attributeQueries: queries, filterValues: flags.filterValues },
      path,
    ),
  );
}
