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
 * Tuning sets at least this large scan their decays on every `SCAN_STRIDE`-th user only. The scan only has
 * to find the peak; the gate then judges the peak on every user. On ml-latest-small (610 tuning users) a
 * scan of five decays costs 1 + 4/3 + 2/3 user passes instead of 5.
 */
export const SCAN_MIN_USERS = 300;
export const SCAN_STRIDE = 3;
/** Users handed to a scorer's `scoreEach` at once. */
const BATCH = 16;

/**
 * Scores a fitted scorer on the tuning set at recency decays from `decays` (`undefined`: the scorer has none
 * to search). The first decay is the reference (0: history unweighted), scored on every user. The later
 * ones are scanned in their (ascending) order, on a share of the users when the set is large (see
 * `SCAN_MIN_USERS`), and the scan stops at the first decay that scores below the one before it: NDCG@10
 * over the decay is single-peaked for every built-in scorer on the MovieLens splits (it rises while recent
 * events matter more, falls once too few events count), so the scan stops one past the peak: 2 scorings
 * where order carries no signal, 4-5 of the default 7 where it does. The peak, scored on every user,
 * replaces the reference only when it beats it beyond `decayGate` (see `DEFAULT_DECAY_GATE`), so shuffled
 * timestamps keep 0.
 */
export function evaluateGridPoint(
  tuning: TuningSet,
  scorer: Scorer,
  config: ScorerOptions,
  decays: readonly (number | undefined)[],
  decayGate: NoiseGate,
): GridPointResult {
  const { size, itemCount } = tuning;
  const stride = size >= SCAN_MIN_USERS ? SCAN_STRIDE : 1;
  const scanned = Array.from({ length: Math.ceil(size / stride) }, (_, s) => s * stride);
  const others =
    stride === 1 ? [] : Array.from({ length: size }, (_, p) => p).filter((p) => p % stride !== 0);
  const matrix = () => new Float32Array(size * itemCount);
  const score = (
    decay: number | undefined,
    users: readonly number[],
    into: Float32Array,
    perUser: Float64Array,
  ) => {
    setDecay(scorer, decay);
    const row = (p: number) => into.subarray(p * itemCount, (p + 1) * itemCount);
    const query = (p: number) => ({ userIndex: tuning.holdout.users[p]!, history: tuning.histories[p]! });
    for (let from = 0; from < users.length; from += BATCH) {
      const batch = users.slice(from, from + BATCH);
      if (scorer.scoreEach) scorer.scoreEach(batch.map(query), batch.map(row));
      else for (const p of batch) scorer.scoreAll(query(p), row(p));
      for (const p of batch) perUser[p] = tuning.ndcg(p, row(p));
    }
  };
  const meanOver = (perUser: Float64Array, users: readonly number[]) =>
    users.reduce((sum, p) => sum + perUser[p]!, 0) / users.length;

  let kept: Float32Array = matrix();
  let keptPerUser: Float64Array = new Float64Array(size);
  let keptIndex = 0;
  score(decays[0], scanned, kept, keptPerUser);
  score(decays[0], others, kept, keptPerUser);

  // The best later decay on the scanned users, if any beat the reference there.
  let peak: { index: number; scores: Float32Array; perUser: Float64Array } | undefined;
  let spare: Float32Array | undefined;
  let previousMean = meanOver(keptPerUser, scanned);
  let peakMean = previousMean;
  for (let d = 1; d < decays.length; d++) {
    const scores = spare ?? matrix();
    spare = undefined;
    const perUser = new Float64Array(size);
    score(decays[d], scanned, scores, perUser);
    const mean = meanOver(perUser, scanned);
    if (mean > peakMean) {
      spare = peak?.scores;
      peak = { index: d, scores, perUser };
      peakMean = mean;
    } else spare = scores;
    if (mean < previousMean) break;
    previousMean = mean;
  }
  if (peak) {
    score(decays[peak.index], others, peak.scores, peak.perUser);
    if (beatsNoise(peak.perUser, keptPerUser, decayGate)) {
      kept = peak.scores;
      keptPerUser = peak.perUser;
      keptIndex = peak.index;
    }
  }

  for (let p = 0; p < size; p++) scaleToMax(kept.subarray(p * itemCount, (p + 1) * itemCount));
  const decay = decays[keptIndex];
  // Left at the kept decay: a shared scorer serves the final model with the decay tuning chose.
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
