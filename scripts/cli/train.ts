import { rename, writeFile } from 'node:fs/promises';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { requireOutputFile } from '../../src/cli/paths.ts';
import { createProgress } from '../../src/cli/progress.ts';
import { trainLocalRecommender } from '../../src/local/index.ts';
import { datasetFilesIn } from './dataset-folder.ts';

export interface TrainFlags {
  readonly data: string;
  readonly out: string;
  readonly tune: boolean;
  readonly quiet?: boolean;
}

/** Trains the local hybrid model on a folder of Personalize CSVs and writes the artifact `--model` loads. */
export async function trainModel(flags: TrainFlags): Promise<number> {
  requireOutputFile('--out', flags.out);
  const files = datasetFilesIn('--data', flags.data);
  const started = performance.now();
  const recommender = await trainLocalRecommender(files, {
    training: { tune: flags.tune },
    progress: createProgress({ quiet: flags.quiet }),
  });
  const bytes = recommender.hybridModel.serialize();
  // Written beside the target and renamed, so a server loading `--out` never reads half a model.
  const temporary = `${flags.out}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, flags.out);
  const { users, items } = recommender.hybridModel;
  process.stdout.write(
    `trained on ${flags.data} in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `${users.ids.length} users, ${items.ids.length} items → ${flags.out} (${bytes.byteLength} bytes)\n` +
      `serve it with: npm start -- --model ${flags.out}\n`,
  );
  return EXIT_CODES.ok;
}
