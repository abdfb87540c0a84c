import { writeBatchInput } from '../../src/batch/jobs/batch-input.ts';
import type { BatchRecipe } from '../../src/batch/jobs/batch-limits.ts';
import { readIdColumn } from '../../src/batch/jobs/id-column.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { type JobFlags, runJob } from './batch-job.ts';

export interface InferenceFlags extends JobFlags {
  readonly recipe: BatchRecipe;
  readonly users?: string;
  readonly items?: string;
}

/** A batch inference job: users (and items) from CSVs, or a ready input. */
export async function batchInference(flags: InferenceFlags): Promise<number> {
  const needsUsers = flags.recipe !== 'sims';
  const needsItems = flags.recipe !== 'user-personalization';
  if (!flags.input && ((needsUsers && !flags.users) || (needsItems && !flags.items))) {
    const wanted = [needsUsers && '--users <csv>', needsItems && '--items <csv>']
      .filter(Boolean)
      .join(' and ');
    throw new InvalidInputError([
      { field: 'input', message: `${flags.recipe} needs ${wanted}, or --input <jsonl>` },
    ]);
  }
  return runJob('inference', flags.recipe, flags, async (path) =>
    writeBatchInput(
      {
        recipe: flags.recipe,
        users: needsUsers ? await readIdColumn(flags.users!, 'USER_ID') : undefined,
        items: needsItems ? await readIdColumn(flags.items!, 'ITEM_ID') : undefined,
        filterValues: flags.filterValues,
      },
      path,
    ),
  );
}
