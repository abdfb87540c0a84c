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
    // personalize-reference.md §6.1 gives `scores` parallel to `recommendedItems`, and leaves it out for recipes
    // that do not score (SIMS, popularity, §4.6); it shows no line with some ids unscored. A ranking's unknown
    // candidates come last without score (§1.2, as POST /rankings answers), so the known ones keep theirs and
    // the unknown get null: the list stays as long as recommendedItems, so positions never misalign.
    const scores = items.map((i) => i.score ?? null);
    const output = scores.some((s) => s !== null) ? { recommendedItems, scores } : { recommendedItems };
    return `${JSON.stringify({ input, output, error: null })}\n`;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `${JSON.stringify({ input, output: null, error: message })}\n`;
  }
}
