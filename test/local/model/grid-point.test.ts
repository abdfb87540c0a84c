import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/local/data/types.ts';
import { evaluateGridPoint } from '../../../src/local/model/grid-point.ts';
import { carveHoldout } from '../../../src/local/model/holdout.ts';
import { TuningSet } from '../../../src/local/model/tuning-set.ts';
import type { ScoreQuery, Scorer } from '../../../src/local/model/types.ts';
import { checkerboard } from '../algorithms/checkerboard.ts';

const DECAYS = [0, 0.05, 0.1, 0.2, 0.3, 0.5, 1];
const tuning = new TuningSet(carveHoldout(checkerboard(), 16, 3));

/**
 * A scorer whose tuning NDCG@10 rises with `quality(decay)`: at decay d it ranks a user's held-out item first
 * for the first round(quality × users) tuning users and scores nothing for the rest (whose NDCG then does
 * not depend on d). Records which decays it was scored at.
 */
class DecayProbe implements Scorer {
  readonly name = 'probe';
  recencyDecay = 0;
  readonly scored = new Set<number>();

  constructor(private readonly quality: (decay: number) => number) {}

  fit(_: Dataset): void {}

  scoreAll(query: ScoreQuery, out: Float32Array): void {
    this.scored.add(this.recencyDecay);
    out.fill(0);
    const p = Array.from(tuning.holdout.users).indexOf(query.userIndex!);
    if (p < Math.round(this.quality(this.recencyDecay) * tuning.size))
      out[tuning.holdout.relevant[p]![0]!] = 1;
  }

  export(): never {
    throw new Error('not exported');
  }
}

/** The decay and NDCG that scoring every decay finds (ties to the earlier decay). */
function exhaustive(quality: (d: number) => number): { decay: number; ndcg: number } {
  const all = DECAYS.map((decay) => ({
    decay,
    ndcg: evaluateGridPoint(tuning, new DecayProbe(quality), {}, [decay]).ndcg,
  }));
  return all.reduce((best, x) => (x.ndcg > best.ndcg ? x : best));
}

describe('evaluateGridPoint', () => {
  it.each([
    ['peak in the middle', (d: number) => 1 - Math.abs(d - 0.2)],
    ['peak below the middle', (d: number) => 1 - Math.abs(d - 0.05)],
    ['rising to the largest decay', (d: number) => 0.2 + d / 2],
    ['falling from no decay', (d: number) => 1 - d],
  ])('climbs to the best decay of a single-peaked curve (%s) without scoring every decay', (_, quality) => {
    const probe = new DecayProbe(quality);
    const result = evaluateGridPoint(tuning, probe, { k: 1 }, DECAYS);
    const best = exhaustive(quality);
    expect(result.options).toEqual({ k: 1, recencyDecay: best.decay });
    expect(probe.recencyDecay).toBe(best.decay);
    expect(result.ndcg).toBe(best.ndcg);
    expect(probe.scored.size).toBeLessThan(DECAYS.length);
  });

  it('breaks a tie towards the earlier decay and returns its scores', () => {
    const quality = (d: number) => (d === 0.1 || d === 0.3 ? 1 : 0.5);
    const result = evaluateGridPoint(tuning, new DecayProbe(quality), {}, DECAYS);
    expect(result.options['recencyDecay']).toBe(0.1);
    expect(result.ndcg).toBe(exhaustive(quality).ndcg);
    expect(result.ndcg).toBeGreaterThan(evaluateGridPoint(tuning, new DecayProbe(quality), {}, [0]).ndcg);
    // Every user's held-out item is at max score 1 after scaling.
    tuning.holdout.relevant.forEach((items, p) => {
      expect(result.scores[p * tuning.itemCount + items[0]!]).toBe(1);
    });
  });

  it('scores once, with the options unchanged, when the scorer has no decay to search', () => {
    const probe = new DecayProbe(() => 1);
    const result = evaluateGridPoint(tuning, probe, { k: 2 }, [undefined]);
    expect(result.options).toEqual({ k: 2 });
    expect(probe.scored).toEqual(new Set([0]));
  });
});
