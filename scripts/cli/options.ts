/** Option parsers and defaults shared by the CLI's commands. */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { isSqsQueueUrl, SQS_QUEUE_URL_RULE } from '../../src/aws/sqs-queue-url.ts';
import { InvalidInputError } from '../../src/errors.ts';

/** The data stack of the default deployment (`<project>-<stage>-data`, cdk/lib/app.ts). */
export const DEFAULT_STACK = process.env.PERSONALIZE_STACK ?? 'personalize-dev-data';

/** Hands a command's outcome (an exit code, or a typed error) to the entry point. */
export type RunCommand = (code: Promise<number>) => void;

export function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/**
 * The most `--threads` accepts: 4 per CPU. The workers are CPU-bound, so past the cores they only take turns,
 * and each batch-local worker loads its own copy of the model (an audit's 1000 threads took 67 s for 250
 * users that 2 answer in 0.4 s). Four per core still leaves room to experiment, or for a container that
 * reports fewer CPUs than it gets, while refusing what can only be a typo.
 */
export const MAX_THREADS_PER_CPU = 4;

/** `--threads`: 0 works on the calling thread; at most MAX_THREADS_PER_CPU per CPU. */
export function threadCount(text: string): number {
  if (text === '0') return 0;
  const n = positiveInt(text);
  const max = MAX_THREADS_PER_CPU * availableParallelism();
  if (n > max) {
    throw new InvalidArgumentError(
      `must be at most ${max} (${MAX_THREADS_PER_CPU} per CPU; 0 works on this thread)`,
    );
  }
  return n;
}

/** `--queue-url`: checked at parsing, so a malformed URL never reaches the SQS client. */
export function sqsQueueUrl(text: string): string {
  if (!isSqsQueueUrl(text)) throw new InvalidArgumentError(SQS_QUEUE_URL_RULE);
  return text;
}

/** A positive integer of at most `max`, e.g. `--num-results`. */
export function positiveIntUpTo(max: number): (text: string) => number {
  return (text) => {
    const n = positiveInt(text);
    if (n > max) throw new InvalidArgumentError(`must be at most ${max}`);
    return n;
  };
}

/** `--filter-values`: a JSON object of strings in Personalize's encoding. */
export function filterValuesJson(text: string): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError('must be a JSON object, e.g. {"GENRES":"\\"comedy\\""}');
  }
  const entries =
    typeof json === 'object' && json !== null && !Array.isArray(json) ? Object.entries(json) : [];
  if (entries.length === 0 || !entries.every(([, v]) => typeof v === 'string')) {
    throw new InvalidArgumentError('must be a JSON object of strings, e.g. {"GENRES":"\\"comedy\\""}');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * Runs `work`, re-labelling InvalidInputError fields as the flags that carried them: the library names
 * `filterValues.GENRES`, the user typed `--filter-values`.
 */
export async function withFlagNames<T>(
  flags: Readonly<Record<string, string>>,
  work: () => T | Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const rename = (field: string) => {
      for (const [name, flag] of Object.entries(flags)) {
        if (field === name) return flag;
        if (field.startsWith(`${name}.`)) return `${flag} ${field.slice(name.length + 1)}`;
      }
      return field;
    };
    throw new InvalidInputError(
      error.issues.map((issue) => ({ ...issue, field: rename(issue.field) })),
      { cause: error },
    );
  }
}
