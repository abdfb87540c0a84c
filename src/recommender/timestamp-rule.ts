import { LIMITS } from './limits.ts';

/**
 * The one timestamp rule of every place data comes in (validate-data, the local engine's loader, the
 * evaluation split, POST /events): Unix epoch seconds. A value above 1e11 is milliseconds (year 5138 in
 * seconds); one more than a day ahead of now is in the future (clock skew allowed). Loaders warn, since the
 * data still loads; validate-data makes milliseconds an error, as Personalize's import would.
 */
export const FUTURE_SLACK_SECONDS = 86_400;

export type TimestampIssue = 'milliseconds' | 'future';

export function timestampIssue(seconds: number, nowSeconds: number): TimestampIssue | undefined {
  if (seconds > LIMITS.maxEpochSeconds) return 'milliseconds';
  if (seconds > nowSeconds + FUTURE_SLACK_SECONDS) return 'future';
  return undefined;
}

/**
 * Warnings for a column of timestamps, one per kind of problem with its count and the first value:
 * e.g. `interactions.csv: 3 TIMESTAMP value(s) look like milliseconds (first 1700000000000); …`.
 */
export function timestampWarnings(
  where: string,
  timestamps: ArrayLike<number>,
  nowSeconds = Date.now() / 1000,
): string[] {
  const counts = { milliseconds: 0, future: 0 };
  const first: Partial<Record<TimestampIssue, number>> = {};
  for (let i = 0; i < timestamps.length; i++) {
    const value = timestamps[i]!;
    const issue = timestampIssue(value, nowSeconds);
    if (issue === undefined) continue;
    counts[issue]++;
    first[issue] ??= value;
  }
  const warnings: string[] = [];
  if (counts.milliseconds > 0) {
    warnings.push(
      `${where}: ${counts.milliseconds} TIMESTAMP value(s) above ${LIMITS.maxEpochSeconds} look like milliseconds (first ${first.milliseconds}); use Unix epoch seconds`,
    );
  }
  if (counts.future > 0) {
    warnings.push(
      `${where}: ${counts.future} TIMESTAMP value(s) are more than a day in the future (first ${first.future}, now ${Math.floor(nowSeconds)})`,
    );
  }
  return warnings;
}
