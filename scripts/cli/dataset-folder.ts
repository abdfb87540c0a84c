import { statSync } from 'node:fs';
import { join } from 'node:path';
import { requireInputFolder } from '../../src/cli/paths.ts';
import { ResourceNotFoundError } from '../../src/errors.ts';
import type { DatasetFiles } from '../../src/local/data/load.ts';

/**
 * The Personalize CSVs of a `--data <dir>` folder: interactions.csv is required, items.csv and users.csv are
 * used when present. One reader for `train`, `batch-local` and `npm start`.
 */
export function datasetFilesIn(flag: string, dir: string): DatasetFiles {
  requireInputFolder(flag, dir);
  const file = (name: string) => {
    const path = join(dir, name);
    return statSync(path, { throwIfNoEntry: false })?.isFile() ? path : undefined;
  };
  const interactions = file('interactions.csv');
  if (interactions === undefined) {
    throw new ResourceNotFoundError(
      `${flag} ${dir} holds no interactions.csv (a folder of Personalize CSVs, e.g. from generate-data)`,
    );
  }
  const items = file('items.csv');
  const users = file('users.csv');
  return { interactions, ...(items && { items }), ...(users && { users }) };
}
