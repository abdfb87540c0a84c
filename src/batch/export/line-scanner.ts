/**
 * A fast path over the raw bytes of the one line shape batch jobs write, e.g. for user-personalization (with or
 * without spaces between tokens): `{"input":{"userId":"K"},"output":{"recommendedItems":[…],"scores":[…]},"error":null}`.
 * It finds where the key, each id and each score are, without decoding the line or building strings, so CSV
 * can copy those bytes and Parquet can hash them. Strings must be printable ASCII without escapes, so their
 * bytes are their UTF-8; anything else (escapes, other bytes, other keys or order, length mismatch) fails the
 * scan and the caller uses the JSON.parse path, which decides.
 */
import { grown } from './grow.ts';
import type { OutputKind } from './output-line.ts';

const QUOTE = 34;
const BACKSLASH = 92;
const encode = (token: string) => new TextEncoder().encode(token);

/** The input field and list field of each kind whose line has the canonical shape. */
const SHAPES: Partial<Record<OutputKind, { readonly input: string; readonly list: string }>> = {
  itemsForUser: { input: '"userId"', list: '"recommendedItems"' },
  itemsForItem: { input: '"itemId"', list: '"recommendedItems"' },
  usersForItem: { input: '"itemId"', list: '"recommendedUsers"' },
};

const TOKENS = {
  open: encode('{'),
  close: encode('}'),
  colon: encode(':'),
  comma: encode(','),
  openList: encode('['),
  closeList: encode(']'),
  input: encode('"input"'),
  output: encode('"output"'),
  scores: encode('"scores"'),
  error: encode('"error"'),
  null: encode('null'),
};

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Scans lines of one kind; after a successful `scan` its fields locate the line's parts in the bytes. */
export class LineScanner {
  keyStart = 0;
  keyEnd = 0;
  /** Ranked entries on the line. */
  count = 0;
  hasScores = false;
  /** Where entry i's id (without quotes) and score text are: `[idStart[i], idEnd[i])`. */
  idStart = new Int32Array(64);
  idEnd = new Int32Array(64);
  scoreStart = new Int32Array(64);
  scoreEnd = new Int32Array(64);

  private bytes: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  private stringStart = 0;
  private readonly inputField: Uint8Array;
  private readonly listField: Uint8Array;

  private constructor(shape: { readonly input: string; readonly list: string }) {
    this.inputField = encode(shape.input);
    this.listField = encode(shape.list);
  }

  /** A scanner for `kind`, or undefined when lines of that kind have no canonical shape (attribute segments). */
  static for(kind: OutputKind | undefined): LineScanner | undefined {
    const shape = kind && SHAPES[kind];
    return shape && new LineScanner(shape);
  }

  /** True when `bytes[start, end)` is a canonical line; its parts are then in this scanner's fields. */
  scan(bytes: Uint8Array, start: number, end: number): boolean {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    const t = TOKENS;
    if (!(this.take(t.open) && this.take(t.input) && this.take(t.colon) && this.take(t.open))) return false;
    if (!(this.take(this.inputField) && this.take(t.colon) && this.string())) return false;
    this.keyStart = this.stringStart;
    this.keyEnd = this.pos - 1;
    if (this.keyEnd === this.keyStart) return false;
    if (!(this.take(t.close) && this.take(t.comma) && this.take(t.output) && this.take(t.colon)))
      return false;
    if (!(this.take(t.open) && this.take(this.listField) && this.take(t.colon) && this.ids())) return false;
    this.hasScores = this.take(t.comma);
    if (this.hasScores && !(this.take(t.scores) && this.take(t.colon) && this.scores())) return false;
    if (!(this.take(t.close) && this.take(t.comma) && this.take(t.error) && this.take(t.colon))) return false;
    if (!(this.take(t.null) && this.take(t.close))) return false;
    this.skipSpace();
    return this.pos === this.end;
  }

  private skipSpace(): void {
    const b = this.bytes;
    let c = b[this.pos];
    while (this.pos < this.end && (c === 32 || c === 9 || c === 13)) c = b[++this.pos];
  }

  /** Consumes `token` after optional whitespace. */
  private take(token: Uint8Array): boolean {
    this.skipSpace();
    if (this.pos + token.length > this.end) return false;
    for (let i = 0; i < token.length; i++) if (this.bytes[this.pos + i] !== token[i]) return false;
    this.pos += token.length;
    return true;
  }

  /** A string of printable ASCII without escapes; its content starts at `stringStart`, ends at pos - 1. */
  private string(): boolean {
    this.skipSpace();
    const b = this.bytes;
    if (b[this.pos] !== QUOTE) return false;
    const start = this.pos + 1;
    for (let i = start; i < this.end; i++) {
      const c = b[i]!;
      if (c === QUOTE) {
        this.stringStart = start;
        this.pos = i + 1;
        return true;
      }
      if (c === BACKSLASH || c < 32 || c > 126) return false;
    }
    return false;
  }

  /** A JSON number (strict grammar); its text starts at `stringStart` and ends at pos. */
  private number(): boolean {
    this.skipSpace();
    const b = this.bytes;
    const start = this.pos;
    let i = start;
    if (b[i] === 45) i++;
    const first = b[i]!;
    if (first === 48) i++;
    else if (first >= 49 && first <= 57) while (isDigit(b[++i]!));
    else return false;
    if (b[i] === 46) {
      if (!isDigit(b[++i]!)) return false;
      while (isDigit(b[++i]!));
    }
    const e = b[i];
    if (e === 101 || e === 69) {
      const sign = b[++i];
      if (sign === 43 || sign === 45) i++;
      if (!isDigit(b[i]!)) return false;
      while (isDigit(b[++i]!));
    }
    if (i > this.end) return false;
    this.stringStart = start;
    this.pos = i;
    return true;
  }

  private ids(): boolean {
    this.count = 0;
    return this.list(() => {
      if (!this.string()) return false;
      this.reserve(this.count);
      this.idStart[this.count] = this.stringStart;
      this.idEnd[this.count] = this.pos - 1;
      this.count++;
      return true;
    });
  }

  private scores(): boolean {
    let n = 0;
    const ok = this.list(() => {
      if (n >= this.count || !this.number()) return false;
      this.scoreStart[n] = this.stringStart;
      this.scoreEnd[n] = this.pos;
      n++;
      return true;
    });
    return ok && n === this.count;
  }

  private list(item: () => boolean): boolean {
    const t = TOKENS;
    if (!this.take(t.openList)) return false;
    if (this.take(t.closeList)) return true;
    for (;;) {
      if (!item()) return false;
      if (this.take(t.closeList)) return true;
      if (!this.take(t.comma)) return false;
    }
  }

  private reserve(index: number): void {
    if (index < this.idStart.length) return;
    this.idStart = grown(this.idStart);
    this.idEnd = grown(this.idEnd);
    this.scoreStart = grown(this.scoreStart);
    this.scoreEnd = grown(this.scoreEnd);
  }
}
