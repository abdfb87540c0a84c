/**
 * Numbers and booleans that Personalize's configuration maps carry as strings (hyperparameters,
 * `hpoResourceConfig`, `itemExplorationConfig`): the text must read as one, within the documented range.
 */
import * as z from 'zod/mini';
import { typed } from './shape-primitives.ts';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number `value` spells in `pattern`'s notation; NaN otherwise ("", "0x10" and "1e" are not numbers). */
const numberIn = (value: string, pattern: RegExp): number =>
  pattern.test(value) ? Number(value) : Number.NaN;

const numberText = (pattern: RegExp, accept: (n: number) => boolean, message: string) =>
  z.string(typed('a string')).check(z.refine((value: string) => accept(numberIn(value, pattern)), message));

/** An integer from `min` to `max`, as text (`"128"`). */
export const integerText = (min: number, max: number) =>
  numberText(INTEGER, (n) => n >= min && n <= max, `must be an integer from ${min} to ${max}`);

/** A number from `min` to `max`, as text (`"0.3"`). */
export const decimalText = (min: number, max: number) =>
  numberText(DECIMAL, (n) => n >= min && n <= max, `must be a number from ${min} to ${max}`);

/** A number above 0, as text (`"30"`). */
export const positiveDecimalText = () =>
  numberText(DECIMAL, (n) => n > 0 && Number.isFinite(n), 'must be a number above 0');

/** `"true"` or `"false"` (any case). */
export const booleanText = () =>
  z
    .string(typed('a string'))
    .check(z.refine((value: string) => /^(true|false)$/i.test(value), 'must be true or false'));
