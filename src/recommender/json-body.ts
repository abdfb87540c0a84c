import { InvalidInputError } from '../errors.ts';

/**
 * The JSON object a request body holds; an empty body is `{}` (the Personalize SDK sends nothing for an input
 * without members; the HTTP API refuses an empty body before calling this). Text that does not parse and JSON
 * of another type are told apart. The one body parser of the HTTP API and the Personalize-compatible endpoints.
 */
export function jsonObjectBody(rawBody: string): Record<string, unknown> {
  if (rawBody.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new InvalidInputError([{ field: '(body)', message: 'must be valid JSON' }]);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidInputError([{ field: '(body)', message: 'must be a JSON object' }]);
  }
  return body as Record<string, unknown>;
}
