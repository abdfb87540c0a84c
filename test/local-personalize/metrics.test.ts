import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';
import { loadDataset } from '../../src/local/data/load.ts';
import type { Dataset } from '../../src/local/data/types.ts';
import { personalizeSplit, solutionMetrics } from '../../src/local-personalize/metrics.ts';

describe('Function: personalizeSplit', () => {
  const root = mkdtempSync(join(tmpdir(), 'lp-metrics-'));
  let data: Dataset;
  beforeAll(async () => {
    await generateDataset({ outDir: root, interactions: 4000, seed: 21 });
    data = await loadDataset({ interactions: join(root, 'interactions.csv') });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("holds out the newest 10% (at least one) of a seeded 10% of users' histories", () => {
    // Prepare
    const byUser = new Map<number, { item: number; time: number }[]>();
    for (let r = 0; r < data.interactions.length; r++) {
      const user = data.interactions.userIndex[r]!;
      const list = byUser.get(user) ?? [];
      list.push({ item: data.interactions.itemIndex[r]!, time: data.interactions.timestamp[r]! });
      byUser.set(user, list);
    }
    const eligible = [...byUser.values()].filter((h) => h.length >= 2).length;

    // Act
    const split = personalizeSplit(data);

    // Assess
    expect(split.users.length).toBe(Math.round(eligible * 0.1));
    let heldOut = 0;
    split.users.forEach((user, i) => {
      const history = byUser.get(user)!;
      const held = Math.max(1, Math.floor(history.length * 0.1));
      const newest = [...history].sort((a, b) => a.time - b.time).slice(-held);
      const oldestHeld = Math.min(...newest.map((h) => h.time));
      expect(split.relevant[i]!.size).toBeGreaterThan(0);
      for (const item of split.relevant[i]!) {
        expect(history.some((h) => h.item === item && h.time >= oldestHeld)).toBe(true);
      }
      heldOut += held;
    });
    expect(split.train.interactions.length).toBe(data.interactions.length - heldOut);
    expect(personalizeSplit(data).users).toEqual(split.users);
  });

  it('gives every GetSolutionMetrics key a value in [0, 1], better than nothing on structured data', () => {
    const metrics = solutionMetrics(data, 'USER_PERSONALIZATION', { tune: false });
    expect(Object.keys(metrics).sort()).toEqual([
      'coverage',
      'mean_reciprocal_rank_at_25',
      'normalized_discounted_cumulative_gain_at_10',
      'normalized_discounted_cumulative_gain_at_25',
      'normalized_discounted_cumulative_gain_at_5',
      'precision_at_10',
      'precision_at_25',
      'precision_at_5',
    ]);
    for (const value of Object.values(metrics)) expect(value).toBeGreaterThanOrEqual(0);
    for (const value of Object.values(metrics)) expect(value).toBeLessThanOrEqual(1);
    expect(metrics.normalized_discounted_cumulative_gain_at_25).toBeGreaterThan(0);
    expect(solutionMetrics(data, 'RELATED_ITEMS', { tune: false }).coverage).toBeGreaterThan(0);
  });
});
