import { describe, expect, it } from 'vitest';
import * as toolkitErrors from '../../src/errors.ts';
import * as personalizeErrors from '../../src/personalize/errors.ts';
import * as circuitBreaker from '../../src/serving/circuit-breaker.ts';

type ErrorClass = new (...args: unknown[]) => Error;

/** Every exported Error subclass of the modules that define typed errors. */
function errorClasses(module: Record<string, unknown>): [string, ErrorClass][] {
  return Object.entries(module).filter(
    (entry): entry is [string, ErrorClass] =>
      typeof entry[1] === 'function' && entry[1].prototype instanceof Error,
  );
}

const CLASSES = [
  ...errorClasses(toolkitErrors),
  ...errorClasses(personalizeErrors),
  ...errorClasses(circuitBreaker),
];

describe('Typed errors', () => {
  it('covers every class of src/errors.ts and the subclasses defined elsewhere', () => {
    expect(CLASSES.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'ToolkitError',
        'InvalidInputError',
        'ResourceNotFoundError',
        'ResourceInUseError',
        'ThrottledError',
        'LimitExceededError',
        'UnavailableError',
        'NotFittedError',
        'ModelFitError',
        'AccessDeniedError',
        'JobFailedError',
        'ConfigError',
        'PersonalizeResourceNotFoundError',
        'PersonalizeTimeoutError',
        'CircuitOpenError',
      ]),
    );
  });

  // Each constructor takes a string first; a second string is a message or ignored options.
  it.each(CLASSES)('%s keeps its own name (not its parent’s)', (exported, ErrorClass) => {
    const error = new ErrorClass('campaign', 'message');

    expect(error.name).toBe(exported);
    expect(error).toBeInstanceOf(toolkitErrors.ToolkitError);
    expect(String(error)).toMatch(new RegExp(`^${exported}: `));
  });
});
