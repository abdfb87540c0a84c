import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/local/data/types.ts';
import { evaluateGridPoint, SCAN_MIN_USERS, SCAN_STRIDE } from '../../../src/local/model/grid-point.ts';
import type { NoiseGate } from '../../../src/local/model/paired-gain.ts';
import { DEFAULT_DECAY_GATE } from '../../../src/local/model/tune.ts';
import type { TuningSet } from '../../../src/local/model/tuning-set.ts';
import type { ScoreQuery, Scorer } from '../../../src/local/model/types.ts';

const DECAYS = [0, 0.05, 0.1, 0.2, 0.3, 0.5, 1];
/** Any gain is taken: isolates the scan from the noise gate. */
const OPEN: NoiseGate = { standardErrors: 0, relativeGain: 0 };
const USERS = 16;
const ITEMS = 4;

/**
 * A tuning set whose per-user NDCG@10 is whatever the scorer writes into item 0 of the user's row, so a test
 * states each user's figure at each decay exactly (the scan and the gate are what is under test, not NDCG).
 */
function tuningOf(users: number): TuningSet {
  return {
    size: users,
    itemCount: ITEMS,
    holdout: { users: Int32Array.from({ length: users }, (_, p) => p) },
    histories: Array.from({ length: users }, () => ({ items: [], timestamps: [] })),
    ndcg: (_: number, row: Float32Array) => row[0]!,
  } as unknown as TuningSet;
}
const tuning = tuningOf(USERS);

/** Scores user p at decay d with `figure(d, p)`; records the decays it was scored at. */
class DecayProbe implements Scorer {
  readonly name = 'probe';
  recencyDecay = 0;
  readonly scored = new Set<number>();
  /** Users scored at each decay. */
  readonly calls = new Map<number, number>();

  constructor(private readonly figure: (decay: number, user: number) => number) {}

  fit(_: Dataset): void {}

  scoreAll(query: ScoreQuery, out: Float32Array): void {
    this.scored.add(this.recencyDecay);
    this.calls.set(this.recencyDecay, (this.calls.get(this.recencyDecay) ?? 0) + 1);
    out.fill(0);
    out[0] = this.figure(this.recencyDecay, query.userIndex!);
  }

  export(): never {
    throw new Error('not exported');
  }
}

describe('evaluateGridPoint', () => {
  it.each([
    ['peak in the middle', (d: number) => 1 - Math.abs(d - 0.2)],
    ['peak below the middle', (d: number) => 1 - Math.abs(d - 0.05)],
    ['rising to the largest decay', (d: number) => 0.2 + d / 2],
    ['falling from no decay', (d: number) => 1 - d],
  ])('finds the best decay of a single-peaked curve (%s), stopping one past the peak', (_, quality) => {
    const probe = new DecayProbe((d) => quality(d));
    const result = evaluateGridPoint(tuning, probe, { k: 1 }, DECAYS, OPEN);
    const best = DECAYS.reduce((b, d) => (quality(d) > quality(b) ? d : b));
    expect(result.options).toEqual({ k: 1, recencyDecay: best });
    expect(probe.recencyDecay).toBe(best);
    expect(result.ndcg).toBeCloseTo(quality(best), 6);
    expect(probe.scored.size).toBe(Math.min(DECAYS.indexOf(best) + 2, DECAYS.length));
  });

  it('keeps the first decay (no recency weighting) unless a later one beats it beyond the gate', () => {
    // One more user in 16 ranked right: a gain of 1/16 with a standard error about as large.
    const slight = (d: number, p: number) => (p < (d === 0 ? 8 : 9) ? 1 : 0);
    const gated = evaluateGridPoint(tuning, new DecayProbe(slight), {}, DECAYS, DEFAULT_DECAY_GATE);
    expect(gated.options).toEqual({ recencyDecay: 0 });
    expect(gated.ndcg).toBe(0.5);
    expect(evaluateGridPoint(tuning, new DecayProbe(slight), {}, DECAYS, OPEN).options).toEqual({
      recencyDecay: 0.05,
    });
  });

  it('returns the kept decay’s per-user figures and scores, each row scaled to max 1', () => {
    const figure = (d: number, p: number) => (d === 0.1 ? 0.5 + p / 64 : 0.25);
    const result = evaluateGridPoint(tuning, new DecayProbe(figure), {}, DECAYS, OPEN);
    expect(result.options['recencyDecay']).toBe(0.1);
    expect(Array.from(result.perUser)).toEqual(Array.from({ length: USERS }, (_, p) => 0.5 + p / 64));
    for (let p = 0; p < USERS; p++) expect(result.scores[p * ITEMS]).toBe(1);
  });

  it('scores once, with the options unchanged, when the scorer has no decay to search', () => {
    const probe = new DecayProbe(() => 1);
    const result = evaluateGridPoint(tuning, probe, { k: 2 }, [undefined], OPEN);
    expect(result.options).toEqual({ k: 2 });
    expect(probe.scored).toEqual(new Set([0]));
  });

  it('hands batches of users to scoreEach when the scorer has it, each query with its own row', () => {
    const figure = (d: number, p: number) => (d === 0.1 ? 0.5 + p / 64 : 0.25);
    const batches: number[] = [];
    const probe = Object.assign(new DecayProbe(figure), {
      scoreEach(queries: readonly ScoreQuery[], rows: readonly Float32Array[]) {
        batches.push(queries.length);
        queries.forEach((query, q) => {
          probe.scoreAll(query, rows[q]!);
        });
      },
    });
    const result = evaluateGridPoint(tuning, probe, {}, DECAYS, OPEN);
    expect(result.options['recencyDecay']).toBe(0.1);
    expect(Array.from(result.perUser)).toEqual(Array.from({ length: USERS }, (_, p) => 0.5 + p / 64));
    expect(batches.every((size) => size >= 1 && size <= USERS)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(USERS * probe.scored.size);
  });

  describe(`on ${SCAN_MIN_USERS} users or more`, () => {
    const users = SCAN_MIN_USERS + 30;
    const large = tuningOf(users);
    const scanned = Math.ceil(users / SCAN_STRIDE);

    it('scans the decays on every third user, then scores only the peak on the rest', () => {
      const probe = new DecayProbe((d) => 1 - Math.abs(d - 0.2));
      const result = evaluateGridPoint(large, probe, {}, DECAYS, OPEN);
      expect(result.options).toEqual({ recencyDecay: 0.2 });
      expect(Object.fromEntries(probe.calls)).toEqual({
        0: users,
        0.05: scanned,
        0.1: scanned,
        0.2: users,
        0.3: scanned,
      });
      expect(result.perUser.every((x) => Math.abs(x - 1) < 1e-6)).toBe(true);
    });

    it('judges the peak against the reference on every user, not only on those it was scanned on', () => {
      // The decay lifts the scanned users a lot and costs the others as much: no gain overall.
      const mixed = (d: number, p: number) => (d === 0 ? 0.5 : p % SCAN_STRIDE === 0 ? 0.9 : 0.3);
      const result = evaluateGridPoint(large, new DecayProbe(mixed), {}, DECAYS, DEFAULT_DECAY_GATE);
      expect(result.options).toEqual({ recencyDecay: 0 });
      expect(result.ndcg).toBeCloseTo(0.5, 6);
    });
  });
});
