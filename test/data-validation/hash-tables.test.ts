import { describe, expect, it } from 'vitest';
import { hash64 } from '../../src/core/hash64.ts';
import { BoundedHashSet } from '../../src/data-validation/bounded-hash-set.ts';
import { HashCounter } from '../../src/data-validation/hash-counter.ts';

function hashOf(text: string): [number, number] {
  const out = new Uint32Array(2);
  hash64(text, out);
  return [out[0]!, out[1]!];
}

describe('Function: hash64', () => {
  it('is deterministic and gives distinct hashes for 200k distinct ids', () => {
    expect(hashOf('user-1')).toEqual(hashOf('user-1'));
    const seen = new Set(Array.from({ length: 200_000 }, (_, i) => hashOf(`u${i}`).join(':')));
    expect(seen.size).toBe(200_000);
  });
});

describe('Class: HashCounter', () => {
  it('counts per key across growth', () => {
    // Prepare
    const counter = new HashCounter(16);

    // Act
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10_000; i++) if (i % 3 >= round) counter.increment(...hashOf(`id${i}`));
    }

    // Assess
    expect(counter.size).toBe(10_000);
    expect(counter.count(...hashOf('id0'))).toBe(1);
    expect(counter.count(...hashOf('id2'))).toBe(3);
    expect(counter.count(...hashOf('missing'))).toBe(0);
  });
});

describe('Class: BoundedHashSet', () => {
  it('finds every duplicate while the table has room', () => {
    const set = new BoundedHashSet(1 << 20);
    const firsts = Array.from({ length: 50_000 }, (_, i) => set.addIsDuplicate(...hashOf(`row${i}`)));
    const again = Array.from({ length: 50_000 }, (_, i) => set.addIsDuplicate(...hashOf(`row${i}`)));
    expect(firsts.filter(Boolean)).toHaveLength(0);
    expect(again.every(Boolean)).toBe(true);
    expect(set.coveredShare).toBe(1);
  });

  it('answers membership without adding', () => {
    const set = new BoundedHashSet(1 << 16);
    expect(set.has(...hashOf('a'))).toBe(false);
    expect(set.addIsDuplicate(...hashOf('a'))).toBe(false);
    expect(set.has(...hashOf('a'))).toBe(true);
    expect(set.has(...hashOf('b'))).toBe(false);
    expect(set.addIsDuplicate(...hashOf('b'))).toBe(false);
  });

  it('keeps a hash-selected share once full, exact within that share', () => {
    // Prepare: 1024 slots hold 768 hashes; 5000 distinct rows overflow it twice or more
    const set = new BoundedHashSet(8 * 1024);
    for (let i = 0; i < 5000; i++) set.addIsDuplicate(...hashOf(`row${i}`));

    // Act
    const found = Array.from({ length: 5000 }, (_, i) => set.addIsDuplicate(...hashOf(`row${i}`))).filter(
      Boolean,
    ).length;

    // Assess: each kept row is found, none of the others; the kept share matches coveredShare
    expect(set.coveredShare).toBeLessThan(1);
    expect(found / 5000).toBeGreaterThan(set.coveredShare * 0.8);
    expect(found / 5000).toBeLessThan(set.coveredShare * 1.2);
  });
});
