import { randomUUID } from 'node:crypto';

/** A caller's correlation id is kept when it is short and plain, so it cannot inject into logs or headers. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of one request: the caller's `X-Request-Id` when safe, else the gateway's request id, else the
 * Lambda invocation id, else a new UUID.
 */
export function requestIdOf(
  headers: Readonly<Record<string, string | undefined>> | null | undefined,
  ...fallbacks: (string | undefined)[]
): string {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'x-request-id' && value !== undefined && SAFE_ID.test(value)) return value;
  }
  return fallbacks.find((id) => id !== undefined && id.length > 0) ?? randomUUID();
}
