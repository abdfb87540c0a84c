import { InvalidInputError } from '../../errors.ts';

export type TokenKind =
  | 'word'
  | 'string'
  | 'number'
  | 'placeholder'
  | 'star'
  | 'open'
  | 'close'
  | 'comma'
  | 'pipe'
  | 'operator'
  | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** Keywords and column references as written; string contents without quotes; `$` dropped from names. */
  readonly text: string;
  readonly position: number;
}

const PATTERNS: readonly [TokenKind, RegExp][] = [
  ['word', /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y],
  ['number', /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/y],
  ['placeholder', /\$[A-Za-z0-9_]+/y],
  ['operator', /<=|>=|=|<|>/y],
  ['star', /\*/y],
  ['open', /\(/y],
  ['close', /\)/y],
  ['comma', /,/y],
  ['pipe', /\|/y],
];

/** The error for a construct at `position` of a filter expression: where it is, and what is wrong there. */
export function positionedError(field: string, position: number, message: string): InvalidInputError {
  return new InvalidInputError([{ field, message: `at position ${position}: ${message}` }]);
}

function readString(text: string, start: number, field: string): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length) value += text[++i];
    else if (char === '"') return { value, end: i + 1 };
    else value += char;
  }
  throw positionedError(field, start, 'unterminated string: a closing " is missing');
}

/** Splits a filter expression into tokens; `field` names the input in errors. */
export function tokenize(text: string, field: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    if (text[i] === '"') {
      const { value, end } = readString(text, i, field);
      tokens.push({ kind: 'string', text: value, position: i });
      i = end;
      continue;
    }
    const match = PATTERNS.find(([, pattern]) => {
      pattern.lastIndex = i;
      return pattern.test(text);
    });
    if (match === undefined) {
      const symbol = /^(!=|<>)/.exec(text.slice(i))?.[0] ?? text[i];
      throw positionedError(field, i, `unsupported symbol ${JSON.stringify(symbol)}`);
    }
    const [kind, pattern] = match;
    const raw = text.slice(i, pattern.lastIndex);
    tokens.push({ kind, text: kind === 'placeholder' ? raw.slice(1) : raw, position: i });
    i = pattern.lastIndex;
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}
