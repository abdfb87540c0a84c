import { InvalidInputError } from '../errors.ts';

/**
 * Object names under the training import prefix that both the stacks (rules, IAM, state machine) and the
 * workflow Lambdas use, and the `_READY` marker's format; pure, so the CDK app can load them without Lambda code.
 */

/** Written after the CSV files of `<importPrefix><batch>/`: starts one training run for the folder. */
export const READY_MARKER = '_READY';

/** Holds the folder of the last run that imported data; scheduled retrains rebuild the local model from it. */
export const LATEST_IMPORT_MARKER = '_LATEST';

export type ReadyImportMode = 'FULL' | 'INCREMENTAL';

/**
 * The `_READY` marker's body: `{}` leaves the deployment's `importMode`, `{"importMode": ...}` overrides it
 * for this run. Never empty: the S3 client warns about a body of unknown length on an empty one.
 */
export function readyMarkerBody(importMode?: ReadyImportMode): string {
  return JSON.stringify(importMode === undefined ? {} : { importMode });
}

/** The import mode a `_READY` marker asks for; an empty marker (written by hand, as README shows) asks none. */
export function readyMarkerImportMode(body: string, source: string): ReadyImportMode | undefined {
  if (body.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const keys = Object.keys(parsed);
    const mode = (parsed as { importMode?: unknown }).importMode;
    if (keys.length === 0) return undefined;
    if (keys.length === 1 && (mode === 'FULL' || mode === 'INCREMENTAL')) return mode;
  }
  throw new InvalidInputError([
    {
      field: source,
      message: `must be empty, {}, {"importMode":"FULL"} or {"importMode":"INCREMENTAL"} (got ${JSON.stringify(body.slice(0, 100))})`,
    },
  ]);
}
