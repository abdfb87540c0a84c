import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readIdColumn } from '../../src/batch/jobs/id-column.ts';
import { runLocalBatch } from '../../src/batch/local/local-batch.ts';
import { checkLocalBatchFilter } from '../../src/batch/local/local-batch-filter.ts';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { requireInputFiles, requireOutputFile } from '../../src/cli/paths.ts';
import { createProgress } from '../../src/cli/progress.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { trainLocalRecommender } from '../../src/local/index.ts';
import { datasetFilesIn } from './dataset-folder.ts';
import { withFlagNames } from './options.ts';

export interface LocalFlags {
  readonly model?: string;
  readonly data?: string;
  readonly users?: string;
  readonly numResults: number;
  readonly filterExpression?: string;
  readonly filterValues?: Record<string, string>;
  readonly output: string;
  readonly threads?: number;
  readonly quiet?: boolean;
}

const FILTER_FLAGS = { filterExpression: '--filter-expression', filterValues: '--filter-values' };

/** Personalize-format batch output from a model file, or from a model trained here on `--data`. */
export async function batchLocal(flags: LocalFlags): Promise<number> {
  if ((flags.model === undefined) === (flags.data === undefined)) {
    throw new InvalidInputError([
      { field: 'model', message: 'give exactly one of --model <artifact> or --data <dir>' },
    ]);
  }
  // Before loading or training anything: a mistyped path should not cost a training run.
  requireOutputFile('--output', flags.output);
  requireInputFiles({ '--users': flags.users });
  // Before training: a typo in the filter should not cost a training run. Columns are checked on the model.
  await withFlagNames(FILTER_FLAGS, () => checkLocalBatchFilter(flags.filterExpression, flags.filterValues));
  const progress = createProgress({ quiet: flags.quiet });
  let modelPath = flags.model;
  let scratch: string | undefined;
  try {
    if (flags.data !== undefined) {
      // Workers each load the model from a file, so a model trained here is written to a scratch file first.
      const recommender = await trainLocalRecommender(datasetFilesIn('--data', flags.data), { progress });
      scratch = await mkdtemp(join(tmpdir(), 'batch-local-'));
      modelPath = join(scratch, 'model.bin');
      await writeFile(modelPath, recommender.hybridModel.serialize());
    }
    const started = performance.now();
    let barStarted = false;
    const userIds = flags.users ? await readIdColumn(flags.users, 'USER_ID') : undefined;
    const summary = await withFlagNames(FILTER_FLAGS, () =>
      runLocalBatch({
        modelPath: modelPath!,
        userIds,
        numResults: flags.numResults,
        filterExpression: flags.filterExpression,
        filterValues: flags.filterValues,
        output: flags.output,
        threads: flags.threads,
        onProgress: (done, total) => {
          if (!barStarted) progress.start('batch-local users', total);
          barStarted = true;
          progress.update(done);
        },
      }),
    );
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${summary.users} users → ${flags.output} in ${seconds.toFixed(1)} s\n`);
    return EXIT_CODES.ok;
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
