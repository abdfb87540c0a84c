/** The parts of an SDK v3 service error the toolkit's mappers read. */
export interface SdkErrorFacts {
  readonly name: string;
  /** The service's message, or the name when there is none. */
  readonly detail: string;
  readonly status: number | undefined;
  /** `$fault`: `client` or `server` when the SDK parsed a service reply. */
  readonly fault: unknown;
}

/** Reads name, message, HTTP status and fault from anything thrown by an SDK call. */
export function sdkErrorFacts(error: unknown): SdkErrorFacts {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const status = shape.$metadata?.httpStatusCode;
  return {
    name,
    detail: typeof shape.message === 'string' && shape.message ? shape.message : name,
    status: typeof status === 'number' ? status : undefined,
    fault: shape.$fault,
  };
}
