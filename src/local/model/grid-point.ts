import type { ScorerOptions } from '../algorithms/plugin.ts';
import { average, beatsNoise, type NoiseGate } from './paired-gain.ts';
import { scaleToMax } from './scale.ts';
import type { TuningSet } from './tuning-set.ts';
import type { Scorer } from './types.ts';

/** What one fitted grid point scored at the recency decay it kept. */
export interface GridPointResult {
  /** The configuration, with `recencyDecay` set when decays were searched. */
  readonly options: ScorerOptions;
  /** Mean tuning-set NDCG@10 over every tuning user. */
  readonly ndcg: number;
  /** Each tuning user's NDCG@10, in tuning-set order: what the noise gates compare. */
  readonly perUser: Float64Array;
  /** Tuning users × items at the kept decay, each user's row scaled to max 1 (what the blend search reads). */
  readonly scores: Float32Array;
}

/**
 * Scores a fitted scorer on the tuning set at recency decays from `decays` (`undefined`: the scorer has none
 * to search). The first decay is the reference (0: history unweighted); a later one replaces the kept decay
 * only when it beats it beyond `decayGate` (see `DEFAULT_DECAY_GATE`), so shuffled timestamps keep 0.
 *
 * Decays are scanned in their (ascending) order and the scan stops at the first decay that scores below the
 * one before it: NDCG@10 over the decay is single-peaked for every built-in scorer on the MovieLens splits
 * (it rises while recent events matter more, falls once too few events count), so the scan stops one past
 * the peak: 2 scorings where order carries no signal, 4-5 of the default 7 where it does.
 */
export function evaluateGridPoint(
  tuning: TuningSet,
  scorer: Scorer,
  config: ScorerOptions,
  decays: readonly (number | undefined)[],
  decayGate: NoiseGate,
): GridPointResult {
  const { size, itemCount } = tuning;
  let current = new Float32Array(size * itemCount);
  let kept = new Float32Array(size * itemCount);
  let keptIndex = -1;
  let keptPerUser = new Float64Array(size);
  let previousMean = Number.NEGATIVE_INFINITY;
  for (let d = 0; d < decays.length; d++) {
    setDecay(scorer, decays[d]);
    const perUser = new Float64Array(size);
    for (let p = 0; p < size; p++) {
      const row = current.subarray(p * itemCount, (p + 1) * itemCount);
      scorer.scoreAll({ userIndex: tuning.holdout.users[p]!, history: tuning.histories[p]! }, row);
      perUser[p] = tuning.ndcg(p, row);
    }
    if (keptIndex < 0 || beatsNoise(perUser, keptPerUser, decayGate)) {
      keptIndex = d;
      keptPerUser = perUser;
      [kept, current] = [current, kept];
    }
    const mean = average(perUser);
    if (mean < previousMean) break;
    previousMean = mean;
  }

  for (let p = 0; p < size; p++) scaleToMax(kept.subarray(p * itemCount, (p + 1) * itemCount));
  const decay = decays[keptIndex];
  // Left at the kept decay: a shared (prefitted) scorer serves the final model with the decay tuning chose.
  setDecay(scorer, decay);
  return {
    options: decay === undefined ? config : { ...config, recencyDecay: decay },
    ndcg: average(keptPerUser),
    perUser: keptPerUser,
    scores: kept,
  };
}

function setDecay(scorer: Scorer, decay: number | undefined): void {
  if (decay === undefined) return;
  if (scorer.recencyDecay === undefined)
    throw new RangeError(`tuneHybridExplained: ${scorer.name} has no recencyDecay to search`);
  scorer.recencyDecay = decay;
}
