import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidInputError, ResourceNotFoundError } from '../errors.ts';

/**
 * Checks made before a command opens its files, so each expected mistake becomes one line naming the flag,
 * the path and the fix (exit 3 for a missing path, 2 for the wrong kind of path), not a Node stack from deep
 * inside a stream.
 */

/** `path` must be an existing regular file (a directory is a usage error, not "not found"). */
export function requireInputFile(flag: string, path: string): void {
  const info = statSync(path, { throwIfNoEntry: false });
  if (info === undefined) throw new ResourceNotFoundError(`${flag}: no such file or directory: ${path}`);
  if (!info.isFile()) {
    throw new InvalidInputError([
      { field: flag, message: `${path} is a directory; give the path of a file inside it` },
    ]);
  }
}

/** Every path in `paths` (flag → path; undefined skipped) must be an existing file. */
export function requireInputFiles(paths: Readonly<Record<string, string | undefined>>): void {
  for (const [flag, path] of Object.entries(paths)) if (path !== undefined) requireInputFile(flag, path);
}

/** The folder an output file goes into must exist, and the output must not be a directory. */
export function requireOutputFile(flag: string, path: string): void {
  const folder = dirname(resolve(path));
  const info = statSync(folder, { throwIfNoEntry: false });
  if (info === undefined) {
    throw new ResourceNotFoundError(`${flag}: the folder ${folder} does not exist; create it first`);
  }
  if (!info.isDirectory())
    throw new InvalidInputError([{ field: flag, message: `${folder} is not a folder` }]);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InvalidInputError([{ field: flag, message: `${path} is a directory; name a file` }]);
  }
}

/** An output folder may exist (files in it are replaced) but must not be a file. */
export function requireOutputFolder(flag: string, path: string): void {
  if (existsSync(path) && !statSync(path).isDirectory()) {
    throw new InvalidInputError([
      { field: flag, message: `${path} is an existing file; name a folder (it is created when missing)` },
    ]);
  }
}
