import { type Command, Option } from 'commander';
import { writeBatchInput } from '../../src/batch/jobs/batch-input.ts';
import { BATCH_LIMITS, BATCH_RECIPES, type BatchRecipe } from '../../src/batch/jobs/batch-limits.ts';
import { readIdColumn } from '../../src/batch/jobs/id-column.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { type JobFlags, jobOptions, runJob } from './batch-job.ts';
import type { RunCommand } from './options.ts';

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

export function addBatchInferenceCommand(program: Command, run: RunCommand): void {
  jobOptions(
    program
      .command('batch-inference')
      .description('build the input, run a batch inference job, download (and export) its output')
      .addOption(
        new Option('--recipe <recipe>', 'recipe family of the solution')
          .choices([...BATCH_RECIPES])
          .makeOptionMandatory(),
      )
      .option('--users <csv>', 'CSV with a USER_ID column (users or interactions dataset, or a list)')
      .option(
        '--items <csv>',
        'CSV with an ITEM_ID column (SIMS: items to find similar items for; ranking: items to rank)',
      ),
    {
      max: BATCH_LIMITS.numResults.max,
      default: BATCH_LIMITS.numResults.default,
      help: 'results per input line',
    },
  ).action((flags: InferenceFlags) => run(batchInference(flags)));
}
