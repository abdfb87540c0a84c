import {
  AccessDeniedError,
  InvalidInputError,
  JobFailedError,
  ResourceNotFoundError,
  ThrottledError,
  ToolkitError,
} from '../errors.ts';

/** Exit codes of the CLI, one per kind of failure, so scripts can branch on them. */
export const EXIT_CODES = {
  ok: 0,
  failed: 1,
  invalidInput: 2,
  notFound: 3,
  accessDenied: 4,
  jobFailed: 5,
  throttled: 6,
} as const;

export function exitCodeOf(error: unknown): number {
  if (error instanceof InvalidInputError) return EXIT_CODES.invalidInput;
  if (error instanceof ResourceNotFoundError) return EXIT_CODES.notFound;
  if (error instanceof AccessDeniedError) return EXIT_CODES.accessDenied;
  if (error instanceof JobFailedError) return EXIT_CODES.jobFailed;
  if (error instanceof ThrottledError) return EXIT_CODES.throttled;
  if (error instanceof ToolkitError) return EXIT_CODES.failed;
  return EXIT_CODES.failed;
}
