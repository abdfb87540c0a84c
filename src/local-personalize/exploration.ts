/**
 * `itemExplorationConfig` of campaigns and batch inference jobs (personalize-reference.md §1.5, §4.2, §6.2):
 * a string map whose documented keys hold numbers as text.
 */
import * as z from 'zod/mini';
import { stringMap } from './shape-primitives.ts';
import { decimalText, positiveDecimalText } from './text-numbers.ts';

export const itemExplorationConfig = z.intersection(
  stringMap(100),
  z.looseObject({
    /** Share of recommendations given to less-known items: 0 (none) to 1. */
    explorationWeight: z.optional(decimalText(0, 1)),
    /** Age in days of the items exploration considers. */
    explorationItemAgeCutOff: z.optional(positiveDecimalText()),
  }),
);
