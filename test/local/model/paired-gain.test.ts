import { describe, expect, it } from 'vitest';
import { average, beatsNoise, pairedGain } from '../../../src/local/model/paired-gain.ts';

const gate = { standardErrors: 1, relativeGain: 0.01 };

describe('pairedGain', () => {
  it('gives the mean per-user difference and its standard error', () => {
    const { mean, standardError } = pairedGain(Float64Array.of(1, 2, 3, 6), Float64Array.of(0, 2, 2, 4));
    // Differences 1, 0, 1, 2: mean 1, population variance 0.5, standard error √(0.5 / 4).
    expect(mean).toBe(1);
    expect(standardError).toBeCloseTo(Math.sqrt(0.5 / 4), 12);
  });

  it('rejects arrays of different users', () => {
    expect(() => pairedGain(new Float64Array(2), new Float64Array(3))).toThrow(RangeError);
  });
});

describe('beatsNoise', () => {
  const base = Float64Array.from({ length: 100 }, (_, i) => (i % 2) * 0.5);

  it('takes a gain every user shares', () => {
    expect(
      beatsNoise(
        base.map((x) => x + 0.05),
        base,
        gate,
      ),
    ).toBe(true);
  });

  it('refuses the same mean gain when it comes from a few users (within noise)', () => {
    // Two users gain 2.5 each, the rest nothing: the same mean +0.05, with a standard error of about 0.035.
    const lucky = base.map((x, i) => (i < 2 ? x + 2.5 : x));
    expect(pairedGain(lucky, base).mean).toBeCloseTo(0.05, 12);
    expect(beatsNoise(lucky, base, { standardErrors: 2, relativeGain: 0 })).toBe(false);
  });

  it('refuses a gain below the relative floor however consistent', () => {
    expect(
      beatsNoise(
        base.map((x) => x + 0.001),
        base,
        gate,
      ),
    ).toBe(false);
  });

  it('never takes a loss or a tie', () => {
    expect(beatsNoise(base, base, { standardErrors: 0, relativeGain: 0 })).toBe(false);
    expect(
      beatsNoise(
        base.map((x) => x - 0.1),
        base,
        { standardErrors: 0, relativeGain: 0 },
      ),
    ).toBe(false);
  });

  it('averages an empty array to 0', () => {
    expect(average(new Float64Array(0))).toBe(0);
    expect(average(Float64Array.of(1, 2))).toBe(1.5);
  });
});
