import type { ProgressReporter } from '../core/progress.ts';
import { InvalidInputError } from '../errors.ts';

const DAY_SECONDS = 86_400;

export interface GenerateOptions {
  /** Folder that receives `users.csv`, `items.csv` and `interactions.csv` (created when missing). */
  readonly outDir: string;
  /** Exact number of interaction rows, 1..100,000,000. */
  readonly interactions: number;
  /** @default - interactions / 20 (at least 10): 1M interactions → 50k users */
  readonly users?: number;
  /** @default - interactions / 50 (at least 24): 1M interactions → 20k items */
  readonly items?: number;
  /** @default 42 */
  readonly seed?: number;
  /**
   * Unix epoch seconds of the end of the simulated period. Fixed rather than "now" so a seed always gives the
   * same bytes. @default 1735689600 (2025-01-01T00:00:00Z)
   */
  readonly endTimestamp?: number;
  /** Length of the simulated period in days. @default 180 */
  readonly days?: number;
  /** Reports interaction rows written. @default - no progress reporting */
  readonly progress?: ProgressReporter;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  readonly outDir: string;
  readonly interactions: number;
  readonly users: number;
  readonly items: number;
  readonly seed: number;
  readonly startTimestamp: number;
  readonly endTimestamp: number;
  readonly progress?: ProgressReporter;
}

export const GENERATE_LIMITS = {
  interactions: { min: 1, max: 100_000_000 },
  users: { min: 1, max: 50_000_000 },
  /** Two at least: one item is always kept without interactions. */
  items: { min: 2, max: 5_000_000 },
  days: { min: 1, max: 3650 },
  /** Above this an epoch value is milliseconds, not seconds (the same bound as the Recommender contract). */
  maxEpochSeconds: 1e11,
} as const;

function checkInt(
  issues: { field: string; message: string }[],
  field: string,
  value: number,
  limits: { min: number; max: number },
): void {
  if (!Number.isInteger(value) || value < limits.min || value > limits.max) {
    issues.push({
      field,
      message: `must be an integer from ${limits.min} to ${limits.max} (got ${value})`,
    });
  }
}

/** Applies defaults and checks every option; throws InvalidInputError naming each bad option. */
export function resolveOptions(options: GenerateOptions): ResolvedOptions {
  const issues: { field: string; message: string }[] = [];
  if (typeof options.outDir !== 'string' || options.outDir.length === 0) {
    issues.push({ field: 'outDir', message: 'must be a non-empty folder path' });
  }
  const interactions = options.interactions;
  checkInt(issues, 'interactions', interactions, GENERATE_LIMITS.interactions);
  // Defaults scale with a valid interaction count only, so one bad flag is reported once.
  const scale = Number.isInteger(interactions) ? interactions : 0;
  const users = options.users ?? Math.max(10, Math.round(scale / 20));
  const items = options.items ?? Math.max(24, Math.round(scale / 50));
  checkInt(issues, 'users', users, GENERATE_LIMITS.users);
  checkInt(issues, 'items', items, GENERATE_LIMITS.items);
  const seed = options.seed ?? 42;
  if (!Number.isSafeInteger(seed))
    issues.push({ field: 'seed', message: `must be an integer (got ${seed})` });
  const days = options.days ?? 180;
  checkInt(issues, 'days', days, GENERATE_LIMITS.days);
  const endTimestamp = options.endTimestamp ?? 1_735_689_600;
  // Items released up to a year before the period need non-negative timestamps too.
  const minEnd = (days + 366) * DAY_SECONDS;
  if (
    !Number.isInteger(endTimestamp) ||
    endTimestamp < minEnd ||
    endTimestamp > GENERATE_LIMITS.maxEpochSeconds
  ) {
    issues.push({
      field: 'endTimestamp',
      message: `must be whole Unix epoch seconds from ${minEnd} to ${GENERATE_LIMITS.maxEpochSeconds} (got ${endTimestamp})`,
    });
  }
  if (issues.length > 0) throw new InvalidInputError(issues);
  return {
    outDir: options.outDir,
    interactions,
    users,
    items,
    seed,
    startTimestamp: endTimestamp - days * DAY_SECONDS,
    endTimestamp,
    progress: options.progress,
  };
}
