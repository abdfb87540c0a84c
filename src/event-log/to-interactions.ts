import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { hash64 } from '../core/hash64.ts';
import { BoundedHashSet } from '../data-validation/bounded-hash-set.ts';
import { InvalidInputError } from '../errors.ts';
import { loadSchema } from '../schemas/load.ts';
import type { DatasetSchema } from '../schemas/types.ts';
import { type EventLogLine, readEventLog } from './reader.ts';
import type { EventLogRecord } from './schema.ts';
import { SessionJoins } from './session-joins.ts';

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

type ColumnReader = (record: EventLogRecord, userId: string | undefined) => string | undefined;

const RESERVED: Readonly<Record<string, ColumnReader>> = {
  USER_ID: (_r, userId) => userId,
  ITEM_ID: (r) => r.itemId ?? undefined,
  TIMESTAMP: (r) => String(Math.floor(r.timestamp)),
  EVENT_TYPE: (r) => r.eventType,
  EVENT_VALUE: (r) => (r.value === null ? undefined : String(r.value)),
};

/** A CSV cell, quoted when it holds a separator, a quote, a line break or edge spaces. */
function cell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** An anonymous event set aside until the log says which user its session logged in as. */
type AnonymousRow = [sessionId: string, eventId: string, cells: string[]];

/**
 * Streams the event log of a time range into an interactions CSV in the schema's column order, ready for
 * `validate-data` and a Personalize import. Memory stays flat: one line at a time, repeated event ids found
 * through fixed-size 64-bit hashes. Records that cannot be interactions are counted per reason, not thrown.
 * An anonymous session's events go to the user the session logs in as later in the range (`SessionJoins`):
 * they wait in a temporary file until the end of the log, so they are not lost from retraining.
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
  const userColumn = columns.findIndex((column) => column.name === 'USER_ID');
  const lines = input.reader ?? readEventLog({ dir: input.dir!, from: input.from, to: input.to });
  const budget = input.duplicateCheckBytes ?? 64 * 1024 * 1024;
  const seen = new BoundedHashSet(budget);
  const joins = new SessionJoins(budget / 4);
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

  /** The record's cells, with `userId` in the user column; undefined when a required column is missing. */
  const cellsOf = (record: EventLogRecord, userId: string | undefined): string[] | undefined => {
    const cells: string[] = [];
    for (const [index, column] of columns.entries()) {
      const value = column.read(record, userId);
      // An anonymous record's user is filled in later, if its session logs in.
      if (value === undefined && column.required && !(userId === undefined && index === userColumn))
        return undefined;
      cells.push(value === undefined ? '' : cell(value));
    }
    return cells;
  };
  /** The row once, or undefined for a repeated event id. */
  const rowOnce = (eventId: string, cells: readonly string[]): string | undefined => {
    hash64(eventId, hash);
    if (seen.addIsDuplicate(hash[0]!, hash[1]!)) {
      rejected.duplicate++;
      return undefined;
    }
    written++;
    return `${cells.join(',')}\n`;
  };

  const spillDir = await mkdtemp(join(tmpdir(), 'event-log-anonymous-'));
  const spillFile = join(spillDir, 'rows.jsonl');
  const spill = createWriteStream(spillFile);
  async function* csv(): AsyncGenerator<string> {
    let chunk = `${columns.map((c) => c.name).join(',')}\n`;
    for await (const line of lines) {
      if ('malformed' in line) {
        rejected.malformed++;
        if (malformedExamples.length < 10) malformedExamples.push(line.malformed);
        continue;
      }
      const { record } = line;
      if (record.itemId === null) {
        rejected[record.userId === null ? 'no-user' : 'no-item']++;
        continue;
      }
      const cells = cellsOf(record, record.userId ?? undefined);
      if (cells === undefined) {
        rejected['missing-column']++;
        continue;
      }
      if (record.userId === null) {
        joins.noteAnonymous(record.sessionId);
        const row: AnonymousRow = [record.sessionId, record.eventId, cells];
        if (!spill.write(`${JSON.stringify(row)}\n`)) await once(spill, 'drain');
        continue;
      }
      joins.noteUser(record.sessionId, record.userId);
      chunk += rowOnce(record.eventId, cells) ?? '';
      if (chunk.length >= 65_536) {
        yield chunk;
        chunk = '';
      }
    }
    spill.end();
    await finished(spill);
    const spilled = createInterface({
      input: createReadStream(spillFile),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const text of spilled) {
      const [sessionId, eventId, cells] = JSON.parse(text) as AnonymousRow;
      const userId = joins.userOf(sessionId);
      if (userId === undefined) {
        rejected['no-user']++;
        continue;
      }
      if (userColumn >= 0) cells[userColumn] = cell(userId);
      chunk += rowOnce(eventId, cells) ?? '';
      if (chunk.length >= 65_536) {
        yield chunk;
        chunk = '';
      }
    }
    yield chunk;
  }
  try {
    await pipeline(Readable.from(csv()), createWriteStream(input.out));
  } finally {
    spill.destroy();
    await rm(spillDir, { recursive: true, force: true });
  }
  return { written, rejected, malformedExamples };
}
