import type { Recommender } from '../../recommender/types.ts';

/** What each line of a local batch asks for. */
export interface LocalBatchQuery {
  readonly numResults: number;
  /** Name of a filter the recommender has. */
  readonly filter?: string;
  readonly filterValues?: Readonly<Record<string, string>>;
}

/**
 * One Personalize batch output line per user, answered by `recommender` (personalize-reference.md §6.1).
 * A user the recommender rejects gets a line with `error` set, as Personalize reports per-line failures.
 */
export async function recommendationLines(
  recommender: Recommender,
  userIds: readonly string[],
  query: LocalBatchQuery,
): Promise<string> {
  let text = '';
  for (const userId of userIds) {
    const input = { userId };
    try {
      const answer = await recommender.getRecommendations({
        userId,
        numResults: query.numResults,
        filter: query.filter,
        filterValues: query.filterValues,
      });
      const recommendedItems = answer.items.map((i) => i.itemId);
      const scores = answer.items.map((i) => i.score);
      // Personalize omits scores where it has none (unscored filler); a partial list would misalign.
      const output = scores.every((s) => s !== undefined)
        ? { recommendedItems, scores }
        : { recommendedItems };
      text += `${JSON.stringify({ input, output, error: null })}\n`;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      text += `${JSON.stringify({ input, output: null, error: message })}\n`;
    }
  }
  return text;
}
