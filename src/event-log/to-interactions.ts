import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hash64 } from '../core/hash64.ts';
import { BoundedHashSet } from '../data-validation/bounded-hash-set.ts';
import { InvalidInputError } from '../errors.ts';
import { loadSchema } from '../schemas/load.ts';
import type { DatasetSchema } from '../schemas/types.ts';
import { type EventLogLine, readEventLog } from './reader.ts';
import type { EventLogRecord } from './schema.ts';

/** Why a record is not exported (see the mapping in `schema.ts`). */
export type RejectReason = 'no-user' | 'no-item' | 'missing-column' | 'duplicate' | 'malformed';

export interface EventLogToInteractionsInput {
  /** Events with `from ≤ timestamp < to`, epoch seconds. */
  readonly from: number;
  readonly to: number;
  /** The event-log folder (`dt=YYYY-MM-DD/part-*.jsonl`); or give `reader`. */
  readonly dir?: string;
  /** Lines from another source (e.g. S3), already limited to the range; used instead of `dir`. */
  readonly reader?: AsyncIterable<EventLogLine>;
  /** The interactions CSV to write. */
  readonly out: string;
  /** The interactions schema whose columns the CSV has. @default - schemas/interactions.json */
  readonly schema?: DatasetSchema;
  /** Fixed memory for dropping repeated event ids. @default 64 MiB (exact up to ~6M events) */
  readonly duplicateCheckBytes?: number;
}

export interface EventLogToInteractionsReport {
  readonly written: number;
  readonly rejected: Readonly<Record<RejectReason, number>>;
  /** Up to 10 malformed lines, with their file and line number. */
  readonly malformedExamples: readonly { file: string; line: number; reason: string }[];
}

const RESERVED: Readonly<Record<string, (record: EventLogRecord) => string | undefined>> = {
  USER_ID: (r) => r.userId ?? undefined,
  ITEM_ID: (r) => r.itemId ?? undefined,
  TIMESTAMP: (r) => String(Math.floor(r.timestamp)),
  EVENT_TYPE: (r) => r.eventType,
  EVENT_VALUE: (r) => (r.value === null ? undefined : String(r.value)),
};

/** A CSV cell, quoted when it holds a separator, a quote, a line break or edge spaces. */
function cell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Streams the event log of a time range into an interactions CSV in the schema's column order, ready for
 * `validate-data` and a Personalize import. Memory stays flat: one line at a time, repeated event ids found
 * through fixed-size 64-bit hashes. Records that cannot be interactions are counted per reason, not thrown.
 */
export async function eventLogToInteractions(
  input: EventLogToInteractionsInput,
): Promise<EventLogToInteractionsReport> {
  if (input.dir === undefined && input.reader === undefined) {
    throw new InvalidInputError([{ field: 'dir', message: 'give the event-log folder (dir) or a reader' }]);
  }
  const schema = input.schema ?? loadSchema('interactions');
  const columns = schema.fields.map((field) => ({
    name: field.name,
    required: !field.nullable,
    read: RESERVED[field.name] ?? ((r: EventLogRecord) => r.context[field.name]),
  }));
  const lines = input.reader ?? readEventLog({ dir: input.dir!, from: input.from, to: input.to });
  const seen = new BoundedHashSet(input.duplicateCheckBytes ?? 64 * 1024 * 1024);
  const hash = new Uint32Array(2);
  const rejected: Record<RejectReason, number> = {
    'no-user': 0,
    'no-item': 0,
    'missing-column': 0,
    duplicate: 0,
    malformed: 0,
  };
  const malformedExamples: { file: string; line: number; reason: string }[] = [];
  let written = 0;
  async function* csv(): AsyncGenerator<string> {
    let chunk = `${columns.map((c) => c.name).join(',')}\n`;
    for await (const line of lines) {
      if ('malformed' in line) {
        rejected.malformed++;
        if (malformedExamples.length < 10) malformedExamples.push(line.malformed);
        continue;
      }
      const { record } = line;
      if (record.userId === null) {
        rejected['no-user']++;
        continue;
      }
      if (record.itemId === null) {
        rejected['no-item']++;
        continue;
      }
      const cells: string[] = [];
      let missing = false;
      for (const column of columns) {
        const value = column.read(record);
        if (value === undefined && column.required) missing = true;
        cells.push(value === undefined ? '' : cell(value));
      }
      if (missing) {
        rejected['missing-column']++;
        continue;
      }
      hash64(record.eventId, hash);
      if (seen.addIsDuplicate(hash[0]!, hash[1]!)) {
        rejected.duplicate++;
        continue;
      }
      chunk += `${cells.join(',')}\n`;
      written++;
      if (chunk.length >= 65_536) {
        yield chunk;
        chunk = '';
      }
    }
    yield chunk;
  }
  await pipeline(Readable.from(csv()), createWriteStream(input.out));
  return { written, rejected, malformedExamples };
}
