import type { Recommendations, Recommender } from '../../recommender/types.ts';

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
    text += await batchOutputLine({ userId }, () =>
      recommender.getRecommendations({
        userId,
        numResults: query.numResults,
        filter: query.filter,
        filterValues: query.filterValues,
      }),
    );
  }
  return text;
}

/**
 * One line of Personalize's batch inference output for `input` (personalize-reference.md §6.1): the items
 * `answer` returns, or the error it throws in `error`.
 */
export async function batchOutputLine(
  input: unknown,
  answer: () => Promise<Recommendations>,
): Promise<string> {
  try {
    const { items } = await answer();
    const recommendedItems = items.map((i) => i.itemId);
    const scores = items.map((i) => i.score);
    // Personalize omits scores where it has none (unscored filler); a partial list would misalign.
    const output = scores.every((s) => s !== undefined) ? { recommendedItems, scores } : { recommendedItems };
    return `${JSON.stringify({ input, output, error: null })}\n`;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `${JSON.stringify({ input, output: null, error: message })}\n`;
  }
}
