import { describe, expect, it } from 'vitest';
import { type HelperTeam, ProcessTeam } from '../../src/core/workers/process-team.ts';

class FakeTeam implements HelperTeam {
  healthy = true;
  closed = false;
  constructor(readonly helpers: number) {}
  close(): void {
    this.closed = true;
  }
}

describe('ProcessTeam', () => {
  it('keeps one team per size, replacing it for another size or once a helper died', () => {
    const started: FakeTeam[] = [];
    const holder = new ProcessTeam((helpers) => {
      const team = new FakeTeam(helpers);
      started.push(team);
      return team;
    });
    const two = holder.get(2);
    expect(holder.get(2)).toBe(two);
    const three = holder.get(3);
    expect(three).not.toBe(two);
    expect(two?.closed).toBe(true);
    three!.healthy = false;
    expect(holder.get(3)).not.toBe(three);
    expect(three?.closed).toBe(true);
    expect(started.map((t) => t.helpers)).toEqual([2, 3, 3]);
    expect(holder.get(0)).toBeUndefined();
  });

  it('stops trying once threads could not start, so work stays on the calling thread', () => {
    let attempts = 0;
    const holder = new ProcessTeam<FakeTeam>(() => {
      attempts++;
      return undefined;
    });
    expect(holder.get(2)).toBeUndefined();
    expect(holder.get(2)).toBeUndefined();
    expect(attempts).toBe(1);
  });
});
