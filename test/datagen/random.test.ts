import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random.ts';

const draw = (seed: number, n: number): number[] => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
};

describe('Function: createRng', () => {
  it('repeats its sequence for a seed and differs between neighbouring seeds', () => {
    expect(draw(1, 50)).toEqual(draw(1, 50));
    expect(draw(1, 50)).not.toEqual(draw(2, 50));
  });

  it('draws floats in [0, 1) and integers in [0, n) covering the whole range', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      seen.add(rng.int(7));
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('has the mean of each distribution close to its parameter', () => {
    const rng = createRng(4);
    const n = 20_000;
    let uniform = 0;
    let exponential = 0;
    let normal = 0;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      uniform += rng.range(10, 20);
      exponential += rng.exponential(3);
      normal += rng.normal(5, 2);
      if (rng.chance(0.25)) hits++;
    }
    expect(uniform / n).toBeCloseTo(15, 0);
    expect(exponential / n).toBeCloseTo(3, 0);
    expect(normal / n).toBeCloseTo(5, 0);
    expect(hits / n).toBeCloseTo(0.25, 1);
  });
});
