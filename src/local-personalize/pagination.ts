import { InvalidNextTokenError } from './errors.ts';

const DEFAULT_MAX_RESULTS = 100;

/**
 * One page of `items` for List* (`maxResults` 1..100, default 100). The token carries the offset and the
 * listing it belongs to, so a token from another listing is refused as InvalidNextTokenException.
 */
export function paginate<T>(
  items: readonly T[],
  request: { nextToken?: string | undefined; maxResults?: number | undefined },
  listing: string,
): { page: T[]; nextToken?: string } {
  let offset = 0;
  if (request.nextToken !== undefined) {
    const decoded = Buffer.from(request.nextToken, 'base64url').toString('utf8');
    const match = /^(\d{1,9}):(.*)$/.exec(decoded);
    if (!match || match[2] !== listing) {
      throw new InvalidNextTokenError(`nextToken ${request.nextToken} does not continue this listing`);
    }
    offset = Number(match[1]);
  }
  const size = request.maxResults ?? DEFAULT_MAX_RESULTS;
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return {
    page,
    ...(next < items.length && { nextToken: Buffer.from(`${next}:${listing}`).toString('base64url') }),
  };
}
