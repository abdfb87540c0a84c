/**
 * `solutionConfig` (CreateSolution) and `solutionUpdateConfig` (UpdateSolution) with the bounds the service
 * enforces (personalize-reference.md §1.5, §2); the recipe's hyperparameter ranges are hyperparameters.ts's.
 */
import * as z from 'zod/mini';
import { anyObject, stringMap, text, typed } from './shape-primitives.ts';
import { integerText } from './text-numbers.ts';

/** Automatic training runs every N days, N from 1 to 30. */
const TRAINING_DAYS = { min: 1, max: 30 };
const RATE = /^rate\((\d+) days?\)$/;

const schedulingExpression = text(16).check(
  z.refine((value: string) => {
    const days = Number(RATE.exec(value)?.[1] ?? Number.NaN);
    return days >= TRAINING_DAYS.min && days <= TRAINING_DAYS.max;
  }, `must be rate(N days) with N from ${TRAINING_DAYS.min} to ${TRAINING_DAYS.max}`),
);

const autoTrainingConfig = z.object(
  { schedulingExpression: z.optional(schedulingExpression) },
  typed('an object'),
);

/** HPO's training jobs: counts as text, at most 40 in all and 10 at a time (API reference, HPOResourceConfig). */
const hpoResourceConfig = z.looseObject(
  {
    maxNumberOfTrainingJobs: z.optional(integerText(1, 40)),
    maxParallelTrainingJobs: z.optional(integerText(1, 10)),
  },
  typed('an object'),
);

const hpoConfig = z.looseObject(
  {
    hpoObjective: z.optional(anyObject()),
    hpoResourceConfig: z.optional(hpoResourceConfig),
    algorithmHyperParameterRanges: z.optional(anyObject()),
  },
  typed('an object'),
);

export const solutionConfig = z.looseObject(
  {
    eventValueThreshold: z.optional(text(256)),
    algorithmHyperParameters: z.optional(stringMap(100)),
    featureTransformationParameters: z.optional(stringMap(100)),
    hpoConfig: z.optional(hpoConfig),
    autoMLConfig: z.optional(anyObject()),
    eventsConfig: z.optional(anyObject()),
    optimizationObjective: z.optional(anyObject()),
    trainingDataConfig: z.optional(anyObject()),
    autoTrainingConfig: z.optional(autoTrainingConfig),
  },
  typed('an object'),
);

export const solutionUpdateConfig = z.looseObject(
  {
    autoTrainingConfig: z.optional(autoTrainingConfig),
    eventsConfig: z.optional(anyObject()),
  },
  typed('an object'),
);
