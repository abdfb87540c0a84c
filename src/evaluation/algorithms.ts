import { InvalidInputError } from '../errors.ts';
import { createScorer, SCORER_NAMES } from '../local/algorithms/registry.ts';
import { Hybrid } from '../local/model/hybrid.ts';
import { trainHybrid } from '../local/model/train.ts';
import type { EvaluatedAlgorithm } from './evaluate.ts';

/** The report name of the trained hybrid (tuned on a validation carve of train, never on test). */
export const HYBRID = 'hybrid';

/** A registered scorer with its default hyperparameters, fitted alone. */
function scorerAlgorithm(name: string): EvaluatedAlgorithm {
  return {
    name,
    fit(train, progress) {
      const scorer = createScorer(name);
      scorer.fit(train, progress);
      return scorer;
    },
  };
}

const hybrid: EvaluatedAlgorithm = {
  name: HYBRID,
  fit: (train, progress) => trainHybrid(train, {}, progress),
  // Every component tuning tried, those it gave weight 0 included, with the validation figures behind each
  // weight; without tuning, the blend as trained.
  components: (fitted) => {
    if (!(fitted instanceof Hybrid)) return [];
    const { tuning, blend } = fitted.parts;
    return (tuning?.components ?? blend.map(({ choice }) => choice)).map((choice) => ({
      name: choice.name,
      weight: choice.weight,
      tuningNdcg: choice.tuningNdcg,
      options: { ...choice.options },
      ...('reason' in choice && { reason: choice.reason }),
    }));
  },
};

/** Names `--algo` accepts: every registered scorer, then the hybrid. */
export const ALGORITHM_NAMES: readonly string[] = [...SCORER_NAMES, HYBRID];

/** The algorithms to evaluate: all of them in `ALGORITHM_NAMES` order, or only the one named. */
export function algorithmsToEvaluate(only?: string): EvaluatedAlgorithm[] {
  if (only !== undefined && !ALGORITHM_NAMES.includes(only))
    throw new InvalidInputError([
      { field: '--algo', message: `must be one of ${ALGORITHM_NAMES.join(', ')}, got '${only}'` },
    ]);
  return (only === undefined ? ALGORITHM_NAMES : [only]).map((name) =>
    name === HYBRID ? hybrid : scorerAlgorithm(name),
  );
}
