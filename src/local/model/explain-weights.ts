import type { BlendEvaluator, Candidate } from './blend-evaluator.ts';
import { average, type NoiseGate, pairedGain } from './paired-gain.ts';

const f4 = (x: number) => x.toFixed(4);
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;

/**
 * Why each component has its weight, in validation NDCG@10 terms the evaluation report prints: a kept one by
 * what the blend loses without it, a dropped one by the most it could add at any candidate weight against
 * what it had to beat (`gate`: the noise of the per-user difference, and a floor relative to the blend).
 */
export function explainWeights(
  blend: BlendEvaluator,
  candidates: readonly Candidate[],
  weights: readonly number[],
  candidateWeights: readonly number[],
  gate: NoiseGate,
): string[] {
  if (candidates.length === 0) return [];
  const chosen = blend.perUser(weights);
  const chosenNdcg = average(chosen);
  const kept = weights.filter((w) => w > 0).length;
  return candidates.map((candidate, c) => {
    const alone = `alone ${f4(candidate.choice.tuningNdcg)}`;
    if (weights[c]! > 0) {
      if (kept === 1)
        return `kept alone: best single component on validation (${alone}); no other component lifted it beyond noise`;
      const without = average(blend.perUser(weights.map((w, i) => (i === c ? 0 : w))));
      return `weight ${weights[c]}: blend ${f4(chosenNdcg)} with it, ${f4(without)} without it (${alone})`;
    }
    let best = { gain: Number.NEGATIVE_INFINITY, standardError: 0, weight: 0 };
    const trials = candidateWeights.filter((w) => w > 0);
    blend.sweep(weights, c, trials).forEach((ndcg, t) => {
      const { mean, standardError } = pairedGain(ndcg, chosen);
      if (mean > best.gain) best = { gain: mean, standardError, weight: trials[t]! };
    });
    if (best.gain <= 0)
      return `weight 0: adds nothing on validation (at best ${signed(best.gain)} to the blend, at weight ${best.weight}; ${alone})`;
    const needed = Math.max(gate.standardErrors * best.standardError, gate.relativeGain * chosenNdcg);
    if (best.gain > needed)
      return `weight 0: would add ${signed(best.gain)} at weight ${best.weight} (noise ${f4(needed)}), found after the search's last pass; ${alone}`;
    return `weight 0: adds nothing beyond noise on validation (at best ${signed(best.gain)} at weight ${best.weight}, needed more than ${f4(needed)}; ${alone})`;
  });
}
