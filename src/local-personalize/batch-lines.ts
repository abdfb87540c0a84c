import { readFile } from 'node:fs/promises';
import type { S3Objects } from './s3-objects.ts';

/** The non-blank lines of a batch job's JSON Lines input at `uri` (a file). */
export async function readInputLines(s3: S3Objects, uri: string): Promise<string[]> {
  const fetched = await s3.fetch(uri, 'jobInput.s3DataSource.path');
  try {
    const text = await readFile(fetched.files[0]!, 'utf8');
    return text.split(/\r?\n/).filter((line) => line.trim() !== '');
  } finally {
    await fetched.release();
  }
}

/** A line that is not JSON keeps its text as `input`, with the reason in `error` (Personalize's per-line failure). */
export const notJsonLine = (raw: string): string =>
  `${JSON.stringify({ input: raw, output: null, error: 'the line is not JSON' })}\n`;

/** The JSON value of an input line, or undefined when it does not parse. */
export function parseLine(raw: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(raw) };
  } catch {
    return undefined;
  }
}
