/**
 * Typed errors shared by every implementation of the Recommender contract, the data tools and the
 * handlers. Each edge (HTTP handler, CLI) maps them once: see `httpStatusOf` in `src/serving/`.
 */

/** One problem with one input field: the field's path, what is wrong, and the limit it broke. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `eventList.3.itemId`. */
  readonly field: string;
  /** What is wrong, written for the caller: names the limit and, where useful, the value received. */
  readonly message: string;
}

/**
 * Base class of every error this toolkit throws on purpose. Each class, subclasses included, sets its own
 * `name` explicitly: the Lambdas are minified, so `new.target.name` would not survive bundling.
 */
export class ToolkitError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ToolkitError';
  }
}

/** The request broke a limit or a rule (Personalize's InvalidInputException). */
export class InvalidInputError extends ToolkitError {
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[] | string, options?: ErrorOptions) {
    const list = typeof issues === 'string' ? [{ field: '', message: issues }] : issues;
    super(list.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '), options);
    this.name = 'InvalidInputError';
    this.issues = list;
  }
}

/** A named resource (campaign, filter, item, dataset) does not exist (ResourceNotFoundException). */
export class ResourceNotFoundError extends ToolkitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ResourceNotFoundError';
  }
}

/** The resource exists but is busy or not ready (ResourceInUseException). */
export class ResourceInUseError extends ToolkitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ResourceInUseError';
  }
}

/** The backend refused the call because of its rate limits; retrying later may succeed. */
export class ThrottledError extends ToolkitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ThrottledError';
  }
}

/**
 * A service quota was reached (e.g. at most 5 Personalize import jobs in progress, LimitExceededException):
 * not a request rate, but retrying once running work ends may succeed.
 */
export class LimitExceededError extends ToolkitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LimitExceededError';
  }
}

/** The backend failed, timed out or is switched off by a circuit breaker. */
export class UnavailableError extends ToolkitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnavailableError';
  }
}

/** A model was asked to answer before it was trained or loaded. */
export class NotFittedError extends ToolkitError {
  constructor(message = 'the model is not trained or loaded yet', options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFittedError';
  }
}

/** Training could not produce a usable model (too little data, inconsistent input). */
export class ModelFitError extends ToolkitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModelFitError';
  }
}

/** The caller's credentials may not perform an action on a resource (AccessDenied); names both. */
export class AccessDeniedError extends ToolkitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AccessDeniedError';
  }
}

/** A long-running job (dataset import, batch inference) ended in a failed state; carries its failureReason. */
export class JobFailedError extends ToolkitError {
  readonly failureReason: string | undefined;

  constructor(message: string, failureReason?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JobFailedError';
    this.failureReason = failureReason;
  }
}

/**
 * A setting the process reads at start (an environment variable of a Lambda or a script) is missing or
 * malformed: names the variable and what it must hold. A deployment fault, not a bad request.
 */
export class ConfigError extends ToolkitError {
  readonly variable: string;
  readonly expected: string;

  constructor(variable: string, expected: string, received?: string, options?: ErrorOptions) {
    super(
      `environment variable ${variable} ${expected}${received === undefined ? '' : `, got "${received}"`}`,
      options,
    );
    this.name = 'ConfigError';
    this.variable = variable;
    this.expected = expected;
  }
}

/** True for errors after which another engine may still answer: throttling and outages. */
export function isTransient(error: unknown): boolean {
  return error instanceof ThrottledError || error instanceof UnavailableError;
}
