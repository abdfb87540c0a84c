import { InvalidInputError } from '../../errors.ts';

/**
 * Decodes one `filterValues` entry in Personalize's encoding (personalize-reference.md §5.3): a comma-separated
 * list of double-quoted strings, `'"comedy","drama"'`. Bare numbers (`'20'`) are accepted for numeric
 * placeholders. Throws InvalidInputError naming `filterValues.<name>` when the text is not such a list.
 */
export function decodeFilterValue(name: string, text: string): string[] {
  const values: string[] = [];
  const item = /\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?))\s*(,|$)/y;
  let position = 0;
  while (position < text.length) {
    item.lastIndex = position;
    const match = item.exec(text);
    if (match === null) {
      throw new InvalidInputError([
        {
          field: `filterValues.${name}`,
          message: `must be a comma-separated list of double-quoted values such as "a","b" (bad text at character ${position})`,
        },
      ]);
    }
    values.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!);
    position = item.lastIndex;
    if (match[3] === '' || position >= text.length) break;
  }
  return values;
}
