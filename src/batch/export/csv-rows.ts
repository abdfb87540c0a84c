import { ByteBuffer } from './byte-buffer.ts';
import type { LineScanner } from './line-scanner.ts';

const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;

/** RFC 4180 quoting, only where needed. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Rows of one batch as CSV bytes: `key,rank,id,score` per ranked entry. */
export class CsvRows {
  readonly out: ByteBuffer;
  rows = 0;

  constructor(capacity: number) {
    this.out = new ByteBuffer(capacity);
  }

  /**
   * A canonical line: its bytes are copied as they are (scores keep their JSON spelling). Scanned strings hold
   * no quote, backslash or control character, so a comma is the only reason to quote.
   */
  scanned(bytes: Uint8Array, line: LineScanner): void {
    const out = this.out;
    const quoteKey = needsQuotes(bytes, line.keyStart, line.keyEnd);
    const keyLength = line.keyEnd - line.keyStart + 2;
    for (let i = 0; i < line.count; i++) {
      const idStart = line.idStart[i]!;
      const idEnd = line.idEnd[i]!;
      const scoreStart = line.hasScores ? line.scoreStart[i]! : 0;
      const scoreEnd = line.hasScores ? line.scoreEnd[i]! : 0;
      out.ensure(keyLength + idEnd - idStart + scoreEnd - scoreStart + 16);
      field(out, bytes, line.keyStart, line.keyEnd, quoteKey);
      out.byte(COMMA);
      out.decimal(i + 1);
      out.byte(COMMA);
      field(out, bytes, idStart, idEnd, needsQuotes(bytes, idStart, idEnd));
      out.byte(COMMA);
      out.span(bytes, scoreStart, scoreEnd);
      out.byte(NEWLINE);
    }
    this.rows += line.count;
  }

  /** A line read by JSON.parse. */
  parsed(key: string, ids: readonly string[], scores: readonly (number | null)[] | undefined): void {
    // One string per line, written at once: short-lived strings keep the garbage collector cheap.
    const quotedKey = csvField(key);
    let text = '';
    for (let i = 0; i < ids.length; i++) {
      text += `${quotedKey},${i + 1},${csvField(ids[i]!)},${scores?.[i] ?? ''}\n`;
    }
    this.out.text(text);
    this.rows += ids.length;
  }
}

function needsQuotes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] === COMMA) return true;
  return false;
}

function field(out: ByteBuffer, bytes: Uint8Array, start: number, end: number, quoted: boolean): void {
  if (quoted) out.byte(QUOTE);
  out.span(bytes, start, end);
  if (quoted) out.byte(QUOTE);
}
