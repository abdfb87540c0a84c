import { describe, expect, it } from 'vitest';
import { BloomFilter, bloomSize } from '../../../src/local/no-repeat/bloom-filter.ts';
import { LruMap } from '../../../src/local/no-repeat/lru-map.ts';
import { RecentSet } from '../../../src/local/no-repeat/recent-set.ts';
import { UserRecentSets } from '../../../src/local/no-repeat/user-recent-sets.ts';

describe('Class: BloomFilter', () => {
  it('never misses an added key (no false negatives)', () => {
    // Prepare
    const { bits, hashes } = bloomSize(1000, 0.01);
    const filter = new BloomFilter(bits, hashes);
    // Act
    for (let key = 0; key < 1000; key++) filter.add(key * 7919);
    // Assess
    for (let key = 0; key < 1000; key++) expect(filter.has(key * 7919)).toBe(true);
  });

  it('answers true for other keys at about the rate it was sized for', () => {
    const { bits, hashes } = bloomSize(1000, 0.01);
    const filter = new BloomFilter(bits, hashes);
    for (let key = 0; key < 1000; key++) filter.add(key);
    let falsePositives = 0;
    for (let key = 1_000_000; key < 1_020_000; key++) if (filter.has(key)) falsePositives++;
    expect(falsePositives / 20_000).toBeLessThan(0.02);
  });

  it('fails on sizes it cannot hold', () => {
    expect(() => new BloomFilter(33, 3)).toThrow(/bits must be a positive multiple of 32/);
    expect(() => new BloomFilter(64, 0)).toThrow(/hashes must be a positive integer/);
    expect(() => bloomSize(0, 0.01)).toThrow(/capacity must be a positive integer/);
    expect(() => bloomSize(10, 1)).toThrow(/falsePositiveRate must be in \(0, 1\)/);
  });
});

describe('Class: RecentSet', () => {
  it('remembers at least windowSize of the latest keys and forgets after two generations', () => {
    // Prepare
    const set = new RecentSet(50, 0.001);
    // Act
    for (let key = 0; key < 150; key++) set.add(key);
    // Assess: keys 100..149 are in the current generation, 50..99 in the previous one, 0..49 dropped
    for (let key = 50; key < 150; key++) expect(set.has(key)).toBe(true);
    const remembered = Array.from({ length: 50 }, (_, key) => set.has(key)).filter(Boolean).length;
    expect(remembered).toBeLessThan(3);
  });

  it('keeps a fixed size however many keys are added', () => {
    const set = new RecentSet(100, 0.01);
    const bytes = set.bytes;
    for (let key = 0; key < 10_000; key++) set.add(key);
    expect(set.bytes).toBe(bytes);
    expect(bytes).toBe(240);
  });
});

describe('Class: UserRecentSets', () => {
  it('keeps at most maxUsers users, forgetting the least recently seen', () => {
    // Prepare
    const sets = new UserRecentSets({ windowSize: 10, maxUsers: 2 });
    // Act
    sets.remember('a', [1]);
    sets.remember('b', [2]);
    sets.of('a');
    sets.remember('c', [3]);
    // Assess
    expect(sets.trackedUsers).toBe(2);
    expect(sets.of('b')).toBeUndefined();
    expect(sets.of('a')?.has(1)).toBe(true);
    expect(sets.of('c')?.has(3)).toBe(true);
  });

  it('reports a bounded per-user size for the defaults', () => {
    const sets = new UserRecentSets();
    expect(sets.bytesPerUser * sets.maxUsers).toBe(2_400_000);
  });
});

describe('Class: LruMap', () => {
  it('drops the least recently used entry past its capacity; peek does not refresh', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.peek('a');
    map.set('c', 3);
    expect(map.get('a')).toBeUndefined();
    expect(map.get('b')).toBe(2);
    expect(map.size).toBe(2);
    expect(() => new LruMap(0)).toThrow(/capacity must be a positive integer/);
  });
});
