import { type Stats, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidInputError, ResourceNotFoundError } from '../errors.ts';

/**
 * Checks made before a command opens its files, so each expected mistake becomes one line naming the flag,
 * the path and the fix (exit 3 for a missing path, 2 for the wrong kind of path: a directory where a file is
 * expected, a file where a folder is expected or inside a path, `file.csv/x`), not a Node stack from deep
 * inside a stream, and before the long work (training, evaluation) starts.
 */

type Found = { readonly stats: Stats } | { readonly missing: true } | { readonly fileOnPath: string };

/**
 * What is at `path`: its stats, nothing, or a file standing where a folder of the path should be
 * (`stat` fails with ENOTDIR; the first such file is named, as that is the one to fix).
 */
function find(path: string): Found {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats === undefined ? { missing: true } : { stats };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    // From the root down, so every folder stat'ed before the file is a real folder (no ENOTDIR again).
    const ancestors: string[] = [];
    for (let p = dirname(resolve(path)); !ancestors.includes(p); p = dirname(p)) ancestors.unshift(p);
    const file = ancestors.find((p) => statSync(p, { throwIfNoEntry: false })?.isDirectory() === false);
    if (file === undefined) throw error;
    return { fileOnPath: file };
  }
}

const notAFolder = (flag: string, path: string) =>
  new InvalidInputError([{ field: flag, message: `${path} is not a folder` }]);

/** `path` must be an existing regular file (a directory is a usage error, not "not found"). */
export function requireInputFile(flag: string, path: string): void {
  const found = find(path);
  if ('fileOnPath' in found) throw notAFolder(flag, found.fileOnPath);
  if ('missing' in found) throw new ResourceNotFoundError(`${flag}: no such file or directory: ${path}`);
  if (!found.stats.isFile()) {
    throw new InvalidInputError([
      { field: flag, message: `${path} is a directory; give the path of a file inside it` },
    ]);
  }
}

/** Every path in `paths` (flag → path; undefined skipped) must be an existing file. */
export function requireInputFiles(paths: Readonly<Record<string, string | undefined>>): void {
  for (const [flag, path] of Object.entries(paths)) if (path !== undefined) requireInputFile(flag, path);
}

/** `path` must be an existing folder, e.g. `--data <dir>` of CSVs. */
export function requireInputFolder(flag: string, path: string): void {
  const found = find(path);
  if ('fileOnPath' in found) throw notAFolder(flag, found.fileOnPath);
  if ('missing' in found) throw new ResourceNotFoundError(`${flag}: folder not found: ${path}`);
  if (!found.stats.isDirectory()) throw notAFolder(flag, path);
}

/** The folder an output file goes into must exist, and the output must not be a directory. */
export function requireOutputFile(flag: string, path: string): void {
  const folder = dirname(resolve(path));
  const found = find(folder);
  if ('fileOnPath' in found) throw notAFolder(flag, found.fileOnPath);
  if ('missing' in found) {
    throw new ResourceNotFoundError(`${flag}: the folder ${folder} does not exist; create it first`);
  }
  if (!found.stats.isDirectory()) throw notAFolder(flag, folder);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InvalidInputError([{ field: flag, message: `${path} is a directory; name a file` }]);
  }
}

/**
 * An output folder may exist (files in it are replaced) or be missing (the command creates it with its
 * parents), but neither it nor any folder on its path may be a file.
 */
export function requireOutputFolder(flag: string, path: string): void {
  const found = find(path);
  if ('fileOnPath' in found) throw notAFolder(flag, found.fileOnPath);
  if ('stats' in found && !found.stats.isDirectory()) {
    throw new InvalidInputError([
      { field: flag, message: `${path} is an existing file; name a folder (it is created when missing)` },
    ]);
  }
}
