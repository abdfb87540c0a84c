import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileReadError } from '../core/file-errors.ts';
import { toFieldIssues } from '../recommender/request-validation.ts';
import { partitionStart } from './partition.ts';
import { type EventLogRecord, eventLogRecordSchema } from './schema.ts';

/** How long after `to` an event may arrive and still be looked for (partitions are by arrival day). */
export const DEFAULT_LATENESS_SECONDS = 2 * 86_400;

/** One line of the log: a record, or why the line is not one. */
export type EventLogLine =
  | { readonly record: EventLogRecord }
  | { readonly malformed: { readonly file: string; readonly line: number; readonly reason: string } };

export interface ReadEventLogOptions {
  readonly dir: string;
  /** Events with `from ≤ timestamp < to` (epoch seconds) are read. */
  readonly from: number;
  readonly to: number;
  /**
   * Partitions are by arrival day: events arriving up to this long after `to` are still found.
   * @default 2 days
   */
  readonly latenessSeconds?: number;
}

/**
 * Streams the records of a time range from a partitioned event-log folder, partition by partition and file
 * by file in name order, one line in memory at a time. Lines that are not JSON or break the schema come out
 * as `malformed` with their file and line number; records outside the range are skipped.
 */
export async function* readEventLog(options: ReadEventLogOptions): AsyncGenerator<EventLogLine> {
  const { dir, from, to } = options;
  const lastDay = to + (options.latenessSeconds ?? DEFAULT_LATENESS_SECONDS);
  // A missing folder is a mistyped path, not an empty log: "0 interactions" would hide it.
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    throw fileReadError(error, dir, 'event-log folder');
  });
  const partitions = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: entry.name, start: partitionStart(entry.name) }))
    // A partition holds events received that day; none can be in range if received before `from`'s day.
    .filter((p) => p.start !== undefined && p.start + 86_400 > from && p.start <= lastDay)
    .sort((a, b) => a.start! - b.start!);
  for (const partition of partitions) {
    const folder = join(dir, partition.name);
    const files = (await readdir(folder)).filter((name) => name.endsWith('.jsonl')).sort();
    for (const name of files) yield* readFile(join(folder, name), from, to);
  }
}

function readFile(file: string, from: number, to: number): AsyncGenerator<EventLogLine> {
  return parseEventLogLines(createReadStream(file), file, from, to);
}

/**
 * The records of one event-log file (local or an S3 object's body) in `from ≤ timestamp < to`, one line at a
 * time; a line that is not JSON or breaks the schema comes out as `malformed`, naming `file` and the line.
 */
export async function* parseEventLogLines(
  input: NodeJS.ReadableStream,
  file: string,
  from: number,
  to: number,
): AsyncGenerator<EventLogLine> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  for await (const text of lines) {
    number++;
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      yield { malformed: { file, line: number, reason: 'not JSON' } };
      continue;
    }
    const parsed = eventLogRecordSchema.safeParse(json);
    if (!parsed.success) {
      const reason = toFieldIssues(parsed.error.issues)
        .map((issue) => `${issue.field}: ${issue.message}`)
        .join('; ');
      yield { malformed: { file, line: number, reason } };
      continue;
    }
    if (parsed.data.timestamp >= from && parsed.data.timestamp < to) yield { record: parsed.data };
  }
}
