import { readFastLine } from './fast-line.ts';
import { isRejected, OUTPUT_COLUMNS, type OutputKind, parseOutputLine } from './output-line.ts';
import { type EncodedRowGroup, encodeRowGroup } from './parquet-row-group.ts';

export type ExportFormat = 'csv' | 'parquet';

/** One line set aside, numbered from 1 within its batch. */
export interface BatchRejection {
  readonly line: number;
  readonly reason: string;
  readonly text: string;
}

/**
 * Ranked rows already encoded in the output format, so the thread that writes the file only appends bytes:
 * CSV text, or a Parquet row group.
 */
export type RowPayload =
  | { readonly format: 'csv'; readonly bytes: Uint8Array }
  | ({ readonly format: 'parquet' } & EncodedRowGroup);

/** What one batch of whole lines yields. */
export interface BatchResult {
  readonly lines: number;
  readonly rows: number;
  readonly rejections: readonly BatchRejection[];
  /** Absent when the batch has no rows (a Parquet row group cannot be empty). */
  readonly payload: RowPayload | undefined;
}

/** A growable byte buffer that owns its memory, so it can be transferred to another thread. */
class ByteSink {
  private buffer: Buffer;
  private length = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafeSlow(Math.max(capacity, 1024));
  }

  write(text: string): void {
    const needed = this.length + text.length * 3;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(text, this.length);
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/** RFC 4180 quoting, only where needed. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function* linesOf(batch: Uint8Array): Generator<string> {
  const buffer = Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength);
  let start = 0;
  while (start < buffer.length) {
    let end = buffer.indexOf(10, start);
    const next = end === -1 ? buffer.length : end + 1;
    if (end === -1) end = buffer.length;
    if (end > start && buffer[end - 1] === 13) end--;
    yield buffer.toString('utf8', start, end);
    start = next;
  }
}

/** The kind of the first usable line of a batch, if any: the kind every later line must have. */
export function firstKind(batch: Uint8Array): OutputKind | undefined {
  for (const line of linesOf(batch)) {
    if (line.trim().length === 0) continue;
    const parsed = parseOutputLine(line);
    if (!isRejected(parsed)) return parsed.kind;
  }
  return undefined;
}

/**
 * Parses a batch of whole JSON lines into rows of `kind`. Blank lines are counted but yield nothing; every
 * other line that yields no rows (job error, malformed, other kind) is returned as a rejection.
 */
export function parseBatch(
  batch: Uint8Array,
  kind: OutputKind | undefined,
  format: ExportFormat,
): BatchResult {
  const rejections: BatchRejection[] = [];
  const keys: string[] = [];
  const counts: number[] = [];
  const ids: string[] = [];
  const scores: number[] = [];
  const csv = new ByteSink(batch.byteLength * 2);
  let lines = 0;
  let rows = 0;
  /** Scores are JSON texts on the fast path and numbers otherwise; both print and convert the same way. */
  const emit = (
    key: string,
    rankedIds: readonly string[],
    rankedScores: readonly (string | number)[] | undefined,
  ) => {
    const n = rankedIds.length;
    rows += n;
    if (format === 'csv') {
      // One string per line, written at once: short-lived strings keep the garbage collector cheap.
      const quotedKey = csvField(key);
      let text = '';
      for (let i = 0; i < n; i++) {
        text += `${quotedKey},${i + 1},${csvField(rankedIds[i]!)},${rankedScores?.[i] ?? ''}\n`;
      }
      csv.write(text);
      return;
    }
    keys.push(key);
    counts.push(n);
    for (let i = 0; i < n; i++) {
      ids.push(rankedIds[i]!);
      scores.push(rankedScores ? Number(rankedScores[i]) : Number.NaN);
    }
  };
  const fastPath = kind === 'itemsForUser';
  for (const line of linesOf(batch)) {
    lines++;
    const fast = fastPath ? readFastLine(line) : undefined;
    if (fast) {
      emit(fast.key, fast.ids, fast.scores);
      continue;
    }
    if (line.trim().length === 0) continue;
    const parsed = parseOutputLine(line);
    if (isRejected(parsed)) {
      rejections.push({ line: lines, reason: parsed.reason, text: line });
    } else if (parsed.kind !== kind) {
      rejections.push({
        line: lines,
        reason: `kind mismatch: line is ${parsed.kind}, file started as ${kind ?? 'nothing'}`,
        text: line,
      });
    } else {
      emit(parsed.key, parsed.ids, parsed.scores);
    }
  }
  if (rows === 0) return { lines, rows, rejections, payload: undefined };
  if (format === 'csv') return { lines, rows, rejections, payload: { format, bytes: csv.bytes() } };
  const rowGroup = encodeRowGroup(OUTPUT_COLUMNS[kind!], {
    keys,
    counts: Int32Array.from(counts),
    ids,
    scores: Float64Array.from(scores),
  });
  return { lines, rows, rejections, payload: { format, ...rowGroup } };
}
