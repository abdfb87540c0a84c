import { codePointLength } from '../../core/code-points.ts';
import { InvalidInputError } from '../../errors.ts';
import { LIMITS } from '../../recommender/limits.ts';

/**
 * Fails on ids longer than Personalize's limit (code points, as validate-data and the API count): a model
 * trained on such an id could never be asked about it, since every request with it is a 400. Checked once per
 * distinct id, after loading.
 */
export function checkIdLengths(ids: readonly string[], column: 'USER_ID' | 'ITEM_ID'): void {
  const max = LIMITS.idLength;
  // UTF-16 length bounds the code point count from above: only a long id needs counting.
  const long = ids.filter((id) => id.length > max && codePointLength(id) > max);
  if (long.length === 0) return;
  const first = long[0]!;
  const others = long.length > 1 ? ` (and ${long.length - 1} more)` : '';
  throw new InvalidInputError([
    {
      field: column,
      message: `"${first.slice(0, 40)}…" has ${codePointLength(first)} characters${others}; ids are at most ${max} (Personalize's limit; validate-data names the lines)`,
    },
  ]);
}
