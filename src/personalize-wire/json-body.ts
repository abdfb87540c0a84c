import { InvalidInputError } from '../errors.ts';

/**
 * The JSON object a Personalize request carries (the SDK sends `{}` or nothing for an input without members).
 * Text that does not parse and JSON of another type are told apart, as the HTTP API's bodies are.
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
