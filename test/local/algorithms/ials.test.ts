import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random.ts';
import { InvalidInputError, NotFittedError } from '../../../src/errors.ts';
import { type IalsOptions, IalsScorer } from '../../../src/local/algorithms/ials.ts';
import { closeAlsTeam } from '../../../src/local/algorithms/linalg/als-team.ts';
import { datasetFromRows, type InteractionRow } from '../../../src/local/data/index.ts';
import type { Dataset } from '../../../src/local/data/types.ts';
import { readArtifact, writeArtifact } from '../../../src/local/model/artifact.ts';
import type { History } from '../../../src/local/model/types.ts';
import { bestNew, checkerboard, GROUP_SIZE, historyOf, USERS_PER_GROUP } from './checkerboard.ts';

afterAll(closeAlsTeam);

/**
 * Planted rank-`groups` structure: user u belongs to group u mod groups and interacts with a random 60% of
 * that group's items, plus one random item anywhere as noise.
 */
function plantedData(seed: number, users = 240, items = 60, groups = 4): Dataset {
  const rng = createRng(seed);
  const perGroup = items / groups;
  const interactions: InteractionRow[] = [];
  let t = 1_000;
  for (let u = 0; u < users; u++) {
    const group = u % groups;
    for (let i = 0; i < perGroup; i++)
      if (rng.chance(0.6))
        interactions.push({ userId: `u${u}`, itemId: `i${group * perGroup + i}`, timestamp: t++ });
    interactions.push({ userId: `u${u}`, itemId: `i${rng.int(items)}`, timestamp: t++ });
  }
  return datasetFromRows({ interactions });
}

function trainingHistory(data: Dataset, user: number): History {
  const rows: number[] = [];
  for (let r = 0; r < data.interactions.length; r++)
    if (data.interactions.userIndex[r] === user) rows.push(r);
  return {
    items: Int32Array.from(rows, (r) => data.interactions.itemIndex[r]!),
    timestamps: Float64Array.from(rows, (r) => data.interactions.timestamp[r]!),
  };
}

function scores(scorer: IalsScorer, data: Dataset, history: History, userIndex?: number): Float32Array {
  const out = new Float32Array(data.items.ids.length);
  scorer.scoreAll(userIndex === undefined ? { history } : { userIndex, history }, out);
  return out;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

const SMALL: IalsOptions = { factors: 8, regularization: 0.5, alpha: 5, iterations: 15, threads: 1 };

describe('IalsScorer', () => {
  it('recommends each checkerboard user the one item of their group they lack', () => {
    const data = checkerboard();
    const scorer = new IalsScorer({ ...SMALL, factors: 4 });
    scorer.fit(data);
    for (const group of ['a', 'b'])
      for (let u = 0; u < USERS_PER_GROUP; u++) {
        const user = data.users.indexOf.get(`${group}${u}`)!;
        const history = trainingHistory(data, user);
        const expected = `${group.toUpperCase()}${u % GROUP_SIZE}`;
        expect(bestNew(data, scores(scorer, data, history, user), history)).toBe(expected);
        // The same history as an unknown user, folded in.
        expect(bestNew(data, scores(scorer, data, history), history)).toBe(expected);
      }
    // Items with metadata only have nothing to learn from: zero factors, so they score 0 for everyone.
    for (const id of ['C0', 'H0', 'H1']) {
      const item = data.items.indexOf.get(id)!;
      expect(Array.from(scorer.itemFactors.subarray(item * 4, item * 4 + 4))).toEqual([0, 0, 0, 0]);
    }
  });

  it("recovers planted groups: each user's best new item comes from their own group", () => {
    const data = plantedData(3);
    const scorer = new IalsScorer(SMALL);
    scorer.fit(data);
    const groupOf = (item: number) => Math.floor(Number(data.items.ids[item]!.slice(1)) / 15);
    let correct = 0;
    for (let user = 0; user < data.users.ids.length; user++) {
      const history = trainingHistory(data, user);
      const best = data.items.indexOf.get(bestNew(data, scores(scorer, data, history, user), history))!;
      if (groupOf(best) === Number(data.users.ids[user]!.slice(1)) % 4) correct++;
    }
    // A user's one noise item may pull a few towards its group.
    expect(correct).toBeGreaterThanOrEqual(0.97 * data.users.ids.length);
  });

  it('scores a batch (scoreEach) exactly as one query at a time, trained users and fold-ins alike', () => {
    const data = plantedData(4);
    const scorer = new IalsScorer(SMALL);
    scorer.fit(data);
    // Seven queries: one block of four and a remainder of three; every other one an unknown user.
    const queries = Array.from({ length: 7 }, (_, q) => {
      const history = trainingHistory(data, q);
      return q % 2 === 0 ? { userIndex: q, history } : { history };
    });
    for (const decay of [0, 0.3]) {
      scorer.recencyDecay = decay;
      const rows = queries.map(() => new Float32Array(data.items.ids.length + 2).fill(9));
      scorer.scoreEach(queries, rows);
      queries.forEach((query, q) => {
        const one = new Float32Array(data.items.ids.length + 2);
        scorer.scoreAll(query, one);
        expect(rows[q]).toEqual(one);
      });
    }
  });

  it('is deterministic per seed', () => {
    const data = plantedData(5);
    const fitted = (seed: number) => {
      const scorer = new IalsScorer({ ...SMALL, seed, iterations: 3 });
      scorer.fit(data);
      return scorer;
    };
    const a = fitted(1);
    const b = fitted(1);
    expect(b.userFactors).toEqual(a.userFactors);
    expect(b.itemFactors).toEqual(a.itemFactors);
    expect(fitted(2).itemFactors).not.toEqual(a.itemFactors);
  });

  it('fits the same factors on helper threads as on one thread', () => {
    const data = plantedData(7, 500, 80);
    const single = new IalsScorer({ ...SMALL, factors: 16, iterations: 4 });
    single.fit(data);
    const threaded = new IalsScorer({ ...SMALL, factors: 16, iterations: 4, threads: 2 });
    threaded.fit(data);
    // Shared factor memory proves the helpers took part rather than the single-thread fallback.
    expect(threaded.userFactors.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(single.userFactors.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(threaded.userFactors).toEqual(single.userFactors);
    expect(threaded.itemFactors).toEqual(single.itemFactors);
  });

  it('folds a training history in to nearly the trained user factors', () => {
    const data = plantedData(11);
    const scorer = new IalsScorer({ ...SMALL, iterations: 30 });
    scorer.fit(data);
    const folded = new Float64Array(scorer.factors);
    for (let user = 0; user < data.users.ids.length; user += 7) {
      scorer.foldIn(trainingHistory(data, user), folded);
      const trained = scorer.userFactors.subarray(user * scorer.factors, (user + 1) * scorer.factors);
      expect(cosine(folded, trained)).toBeGreaterThan(0.99);
    }
  });

  it('folds real-time events into a known user and ignores items it never trained on', () => {
    const data = checkerboard();
    const scorer = new IalsScorer({ ...SMALL, factors: 4 });
    scorer.fit(data);
    const user = data.users.indexOf.get('a1')!;
    const trained = trainingHistory(data, user);
    const grown: History = {
      items: Int32Array.from([...trained.items, ...historyOf(data, ['B0', 'B1', 'B2', 'B3']).items]),
      timestamps: Float64Array.from({ length: trained.items.length + 4 }, (_, i) => 3_000 + i),
    };
    const before = scores(scorer, data, trained, user);
    const after = scores(scorer, data, grown, user);
    const b4 = data.items.indexOf.get('B4')!;
    expect(after[b4]!).toBeGreaterThan(before[b4]!);
    // An index past the trained items (an item added later) scores 0 and does not disturb the fold-in.
    const out = new Float32Array(data.items.ids.length + 1);
    scorer.scoreAll(
      { history: { items: Int32Array.of(0, data.items.ids.length), timestamps: Float64Array.of(1, 2) } },
      out,
    );
    expect(out[data.items.ids.length]).toBe(0);
    expect(Array.from(out.subarray(0, -1))).toEqual(
      Array.from(scores(scorer, data, historyOf(data, [data.items.ids[0]!]))),
    );
  });

  it('weights recent history more with a recency decay', () => {
    const data = checkerboard();
    const scorer = new IalsScorer({ ...SMALL, factors: 4, recencyDecay: 2 });
    scorer.fit(data);
    const history = historyOf(data, ['A0', 'A1', 'A2', 'B0', 'B1']);
    const out = scores(scorer, data, history);
    expect(bestNew(data, out, history).startsWith('B')).toBe(true);
  });

  it('restores from its exported state, through an artifact, with identical scores', () => {
    const data = plantedData(13);
    const scorer = new IalsScorer({ ...SMALL, recencyDecay: 0.1 });
    scorer.fit(data);
    const state = scorer.export();
    const bytes = writeArtifact({ header: state.header, arrays: state.arrays });
    const loaded = readArtifact<typeof state.header>(bytes);
    const restored = IalsScorer.restore(loaded);
    expect(restored.itemFactors.buffer).toBe(loaded.arrays['itemFactors']!.buffer);
    expect(restored.recencyDecay).toBe(0.1);
    for (const user of [0, 17, 101]) {
      const history = trainingHistory(data, user);
      expect(scores(restored, data, history, user)).toEqual(scores(scorer, data, history, user));
      expect(scores(restored, data, history)).toEqual(scores(scorer, data, history));
    }
  });

  it('rejects a state whose arrays do not match its header', () => {
    const scorer = new IalsScorer(SMALL);
    scorer.fit(plantedData(2));
    const state = scorer.export();
    expect(() =>
      IalsScorer.restore({
        header: { ...state.header, users: state.header.users + 1 },
        arrays: state.arrays,
      }),
    ).toThrow(InvalidInputError);
  });

  it('refuses to score before fitting', () => {
    expect(() =>
      new IalsScorer().scoreAll({ history: historyOf(checkerboard(), ['A0']) }, new Float32Array(15)),
    ).toThrow(NotFittedError);
  });

  it.each([
    ['factors', 0],
    ['factors', 2.5],
    ['regularization', 0],
    ['alpha', -1],
    ['iterations', 0],
    ['cgSteps', Number.NaN],
    ['seed', 0.5],
    ['recencyDecay', Number.POSITIVE_INFINITY],
    ['threads', 0],
  ])('rejects %s = %s naming the option', (field, value) => {
    try {
      new IalsScorer({ [field]: value });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).issues.map((i) => i.field)).toEqual([field]);
    }
  });
});
