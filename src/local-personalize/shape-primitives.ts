/**
 * The building blocks of the control plane's request shapes (shapes.ts and the per-concern modules beside it):
 * every message names the limit, the parse path names the member.
 */
import * as z from 'zod/mini';

/** Error map for type mismatches only; other issues keep the message of their own check. */
export const typed = (expected: string) => ({
  error: (issue: { code?: string; input?: unknown }) => {
    if (issue.code !== 'invalid_type' && issue.code !== 'invalid_union') return undefined;
    return issue.input === undefined ? 'is required' : `must be ${expected}`;
  },
});

/**
 * A whole number. `z.int` reports a fraction as a type mismatch and a number beyond the safe integers as
 * too big or too small; both read "must be an integer", as classic zod's `.int(message)` said. The range
 * checks passed in report their own issues (their bounds are never the safe-integer ones).
 */
export const integer = (...checks: z.core.$ZodCheck<number>[]) =>
  z
    .int({
      error: (issue: { code?: string; input?: unknown; maximum?: unknown; minimum?: unknown }) => {
        const unsafe = issue.maximum === Number.MAX_SAFE_INTEGER || issue.minimum === Number.MIN_SAFE_INTEGER;
        if ((issue.code === 'too_big' || issue.code === 'too_small') && unsafe) return 'must be an integer';
        return typed('an integer').error(issue);
      },
    })
    .check(...checks);

/** An integer from `min` to `max`, worded as every range of the project: `must be 1 to 500`. */
export const integerBetween = (min: number, max: number) =>
  integer(z.gte(min, `must be ${min} to ${max}`), z.lte(max, `must be ${min} to ${max}`));

const lengthBetween = (min: number, max: number) => [
  z.minLength(min, `must be ${min} to ${max} characters`),
  z.maxLength(max, `must be ${min} to ${max} characters`),
];

export const text = (max: number, min = 1) => z.string(typed('a string')).check(...lengthBetween(min, max));

/** `text` that must also match `pattern`. */
export const matching = (max: number, pattern: RegExp, message: string, min = 1) =>
  z.string(typed('a string')).check(...lengthBetween(min, max), z.regex(pattern, message));

/** A string → string map of at most `maxEntries` entries (keys 1..256 characters). */
export const stringMap = (maxEntries: number, valueLength = 1000) =>
  z
    .record(text(256), text(valueLength, 0), typed('an object of strings'))
    .check(z.refine((m) => Object.keys(m).length <= maxEntries, `must hold at most ${maxEntries} entries`));

export const anyObject = () => z.record(z.string(), z.unknown());
