/**
 * A fast path for the one line shape batch inference writes for user-personalization (with or without
 * spaces between tokens): `{"input":{"userId":"K"},"output":{"recommendedItems":[…],"scores":[…]},"error":null}`.
 * It skips building objects and keeps each score's JSON text, so CSV needs no number formatting. Anything
 * else (escapes, control characters, other keys or order, length mismatch) returns undefined and the caller
 * uses the JSON.parse path, which decides. The text kept for a score is the JSON number as written: the same
 * double as JSON.parse gives, possibly spelt differently (e.g. `1E-7` for `1e-7`).
 */

export interface FastLine {
  readonly key: string;
  readonly ids: string[];
  /** Score texts, aligned with ids; undefined when the line has no scores. */
  readonly scores: string[] | undefined;
}

const QUOTE = 34;
const BACKSLASH = 92;

class Cursor {
  pos = 0;
  constructor(readonly s: string) {}

  skipSpace(): void {
    let c = this.s.charCodeAt(this.pos);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = this.s.charCodeAt(++this.pos);
  }

  /** Consumes `token` after optional whitespace. */
  take(token: string): boolean {
    this.skipSpace();
    if (!this.s.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  /** A string without escapes or control characters, or undefined. */
  string(): string | undefined {
    this.skipSpace();
    if (this.s.charCodeAt(this.pos) !== QUOTE) return undefined;
    const start = this.pos + 1;
    for (let i = start; i < this.s.length; i++) {
      const c = this.s.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return this.s.slice(start, i);
      }
      if (c === BACKSLASH || c < 32) return undefined;
    }
    return undefined;
  }

  /** The text of a JSON number (strict grammar), or undefined. */
  number(): string | undefined {
    this.skipSpace();
    const s = this.s;
    const start = this.pos;
    let i = start;
    if (s.charCodeAt(i) === 45) i++;
    const first = s.charCodeAt(i);
    if (first === 48) i++;
    else if (first >= 49 && first <= 57) while (isDigit(s.charCodeAt(++i)));
    else return undefined;
    if (s.charCodeAt(i) === 46) {
      if (!isDigit(s.charCodeAt(++i))) return undefined;
      while (isDigit(s.charCodeAt(++i)));
    }
    const e = s.charCodeAt(i);
    if (e === 101 || e === 69) {
      const sign = s.charCodeAt(++i);
      if (sign === 43 || sign === 45) i++;
      if (!isDigit(s.charCodeAt(i))) return undefined;
      while (isDigit(s.charCodeAt(++i)));
    }
    this.pos = i;
    return s.slice(start, i);
  }

  list<T>(item: () => T | undefined): T[] | undefined {
    if (!this.take('[')) return undefined;
    const out: T[] = [];
    if (this.take(']')) return out;
    for (;;) {
      const value = item();
      if (value === undefined) return undefined;
      out.push(value);
      if (this.take(']')) return out;
      if (!this.take(',')) return undefined;
    }
  }
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** The fast reading of a canonical user-personalization line, or undefined when it is not one. */
export function readFastLine(line: string): FastLine | undefined {
  const c = new Cursor(line);
  if (
    !(c.take('{') && c.take('"input"') && c.take(':') && c.take('{') && c.take('"userId"') && c.take(':'))
  ) {
    return undefined;
  }
  const key = c.string();
  if (!key || !(c.take('}') && c.take(',') && c.take('"output"') && c.take(':') && c.take('{')))
    return undefined;
  if (!(c.take('"recommendedItems"') && c.take(':'))) return undefined;
  const ids = c.list(() => c.string());
  if (!ids) return undefined;
  let scores: string[] | undefined;
  if (c.take(',')) {
    if (!(c.take('"scores"') && c.take(':'))) return undefined;
    scores = c.list(() => c.number());
    if (!scores || scores.length !== ids.length) return undefined;
  }
  if (!(c.take('}') && c.take(',') && c.take('"error"') && c.take(':') && c.take('null') && c.take('}'))) {
    return undefined;
  }
  c.skipSpace();
  return c.pos === line.length ? { key, ids, scores } : undefined;
}
