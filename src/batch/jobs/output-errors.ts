import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InvalidInputError } from '../../errors.ts';

/** The output lines of a finished batch job that carry an `error` (Personalize's per-line failures, §6.2). */
export interface OutputErrors {
  readonly lines: number;
  readonly errors: number;
  /** The first one: its 1-based line number and message. */
  readonly first?: { readonly line: number; readonly message: string };
}

/**
 * Counts the lines of a batch output file whose `error` is set. A job whose every line failed still ends
 * ACTIVE, so this is the only sign of it. Only lines holding `"error"` are parsed (inside a JSON string the
 * quotes would be escaped); malformed lines are left to `export`, which sets them aside with a reason.
 */
export async function countOutputErrors(path: string): Promise<OutputErrors> {
  let lines = 0;
  let errors = 0;
  let first: OutputErrors['first'];
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (text.trim().length === 0) continue;
    lines++;
    if (!text.includes('"error"')) continue;
    const error = errorOf(text);
    if (error === undefined) continue;
    errors++;
    first ??= { line: lines, message: typeof error === 'string' ? error : JSON.stringify(error) };
  }
  return { lines, errors, first };
}

function errorOf(text: string): unknown {
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null && 'error' in json && json.error !== null
      ? json.error
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Says how many lines of `outputFile` failed (on `warn`), and throws when all did: nothing usable came out,
 * and per-line failures are the input's (ids, filter values), as `batch-local` rejects the same input (exit 2).
 */
export function reportOutputErrors(
  outputFile: string,
  { lines, errors, first }: OutputErrors,
  warn: (line: string) => void,
): void {
  if (errors === 0 || first === undefined) return;
  const firstError = `the first, line ${first.line}: ${first.message}`;
  if (errors === lines) {
    throw new InvalidInputError([
      {
        field: 'input',
        message: `all ${lines} output lines carry an error (output in ${outputFile}); ${firstError}`,
      },
    ]);
  }
  warn(`${errors} of ${lines} output lines carry an error; ${firstError}\n`);
}
