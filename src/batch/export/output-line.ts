/**
 * Parsing of Personalize batch inference / batch segment output lines (personalize-reference.md §6.1):
 * `{"input":{"userId":"4"},"output":{"recommendedItems":["1","2"],"scores":[0.5,0.2]},"error":null}`.
 */

/** What one output line answers: which input key it is for and what kind of ids it lists. */
export type OutputKind = 'itemsForUser' | 'itemsForItem' | 'usersForItem' | 'usersForAttributes';

/** CSV/Parquet column names per kind: the input key, the rank, the recommended id, the score. */
export const OUTPUT_COLUMNS: Readonly<Record<OutputKind, readonly [string, string, string, string]>> = {
  itemsForUser: ['USER_ID', 'RANK', 'ITEM_ID', 'SCORE'],
  itemsForItem: ['INPUT_ITEM_ID', 'RANK', 'ITEM_ID', 'SCORE'],
  usersForItem: ['INPUT_ITEM_ID', 'RANK', 'USER_ID', 'SCORE'],
  usersForAttributes: ['ITEM_ATTRIBUTES', 'RANK', 'USER_ID', 'SCORE'],
};

/**
 * A parsed line: the key, its ranked ids and (when the recipe scores) their scores, null for an id without
 * one (a ranking's candidates the model does not know).
 */
export interface ParsedOutput {
  readonly kind: OutputKind;
  readonly key: string;
  readonly ids: readonly string[];
  readonly scores?: readonly (number | null)[];
}

/** A line that carries no usable output, with the reason it was set aside. */
export interface RejectedLine {
  readonly reason: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Parses one JSON line of batch output, or says why it can't be used (error lines, malformed JSON). */
export function parseOutputLine(line: string): ParsedOutput | RejectedLine {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { reason: 'malformed JSON' };
  }
  if (!isRecord(json)) return { reason: 'not a JSON object' };
  if (json.error !== undefined && json.error !== null) {
    return {
      reason: `job error: ${typeof json.error === 'string' ? json.error : JSON.stringify(json.error)}`,
    };
  }
  const output = json.output;
  if (!isRecord(output)) return { reason: 'no "output" object' };
  // Item-Attribute-Affinity puts itemAttributes at the top level, the other recipes inside "input".
  const input = isRecord(json.input) ? json.input : {};
  const itemAttributes = typeof json.itemAttributes === 'string' ? json.itemAttributes : input.itemAttributes;

  let kind: OutputKind;
  let key: unknown;
  let ids: unknown;
  if (output.recommendedUsers !== undefined) {
    ids = output.recommendedUsers;
    [kind, key] =
      typeof itemAttributes === 'string'
        ? ['usersForAttributes', itemAttributes]
        : ['usersForItem', input.itemId];
  } else {
    ids = output.recommendedItems;
    [kind, key] =
      typeof input.userId === 'string' ? ['itemsForUser', input.userId] : ['itemsForItem', input.itemId];
  }
  if (typeof key !== 'string' || key.length === 0)
    return { reason: 'no userId, itemId or itemAttributes in the input' };
  if (!isStringArray(ids))
    return { reason: 'output lists no recommendedItems or recommendedUsers array of strings' };
  const scores = output.scores;
  if (scores === undefined || scores === null) return { kind, key, ids };
  if (
    !Array.isArray(scores) ||
    scores.length !== ids.length ||
    !scores.every((s) => typeof s === 'number' || s === null)
  ) {
    return { reason: 'output "scores" is not a list of numbers (or null) as long as the recommended list' };
  }
  return { kind, key, ids, scores };
}

export const isRejected = (parsed: ParsedOutput | RejectedLine): parsed is RejectedLine => 'reason' in parsed;
