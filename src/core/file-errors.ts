import { InvalidInputError, ResourceNotFoundError } from '../errors.ts';

/**
 * A failed open or read of a file the caller named, as a typed error naming the path: missing → not found,
 * a directory → invalid input. Anything else (permissions, I/O) passes through for the edges to map.
 * `what` starts the message, e.g. "file" or "model file".
 */
export function fileReadError(error: unknown, path: string, what = 'file'): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new ResourceNotFoundError(`${what} not found: ${path}`, { cause: error });
  if (code === 'EISDIR') {
    return new InvalidInputError(`${path} is a directory; give the path of a ${what} inside it`, {
      cause: error,
    });
  }
  return error;
}
