import { describe, expect, it } from 'vitest';
import { InvalidInputError, NotFittedError } from '../../../src/errors.ts';
import { PopularityScorer } from '../../../src/local/algorithms/popularity.ts';
import { datasetFromRows, type InteractionRow } from '../../../src/local/data/from-rows.ts';
import { readArtifact, writeArtifact } from '../../../src/local/model/artifact.ts';

const DAY = 86_400;
const NOW = 1_700_000_000;

// 'classic': 6 distinct users, a month ago. 'burst': 3 users, in the last day. 'repeat': one user, 10 events.
function rows(): InteractionRow[] {
  const out: InteractionRow[] = [];
  for (let u = 0; u < 6; u++) {
    out.push({
      userId: `old${u}`,
      itemId: 'classic',
      timestamp: NOW - 30 * DAY,
      context: { DEVICE: 'desktop' },
    });
  }
  for (let u = 0; u < 3; u++) {
    out.push({
      userId: `new${u}`,
      itemId: 'burst',
      timestamp: NOW - u * 3600,
      context: { DEVICE: 'mobile' },
    });
  }
  for (let e = 0; e < 10; e++) {
    out.push({ userId: 'fan', itemId: 'repeat', timestamp: NOW - 60 * DAY, context: { DEVICE: 'desktop' } });
  }
  return out;
}

const items = [
  { ITEM_ID: 'classic', GENRES: 'drama' },
  { ITEM_ID: 'burst', GENRES: 'comedy' },
  { ITEM_ID: 'repeat', GENRES: 'comedy|drama' },
  { ITEM_ID: 'cold', GENRES: 'comedy' },
];
const users = [
  { USER_ID: 'new0', MEMBERSHIP: 'gold' },
  { USER_ID: 'old0', MEMBERSHIP: 'free' },
];

function ids(result: { items: Int32Array }): string[] {
  return Array.from(result.items, (i) => data.items.ids[i]!);
}

const data = datasetFromRows({ interactions: rows(), items, users });

describe('PopularityScorer', () => {
  it('counts distinct users per item, not events', () => {
    const scorer = new PopularityScorer();
    scorer.fit(data);
    expect(scorer.name).toBe('popularity');
    expect(ids(scorer.popular(10))).toEqual(['classic', 'burst', 'repeat']);
    expect(Array.from(scorer.popular(3).scores)).toEqual([6, 3, 1]);
  });

  it('ranks a recent burst above older, larger popularity when trending', () => {
    const scorer = new PopularityScorer({ mode: 'trending', halfLifeDays: 7 });
    scorer.fit(data);
    expect(scorer.now).toBe(NOW);
    expect(ids(scorer.popular(3))).toEqual(['burst', 'classic', 'repeat']);
  });

  it('ignores events after a given now', () => {
    const scorer = new PopularityScorer({ mode: 'trending', now: NOW - 10 * DAY });
    scorer.fit(data);
    expect(ids(scorer.popular(3))).toEqual(['classic', 'repeat']);
  });

  it('ranks within a categorical item attribute', () => {
    const scorer = new PopularityScorer();
    scorer.fit(data);
    expect(ids(scorer.popular(5, { attribute: { name: 'GENRES', value: 'comedy' } }))).toEqual([
      'burst',
      'repeat',
    ]);
    const exclude = new Uint8Array(data.items.ids.length);
    exclude[data.items.indexOf.get('burst')!] = 1;
    expect(ids(scorer.popular(5, { attribute: { name: 'GENRES', value: 'comedy' }, exclude }))).toEqual([
      'repeat',
    ]);
    expect(() => scorer.popular(5, { attribute: { name: 'COLOR', value: 'red' } })).toThrow(
      InvalidInputError,
    );
  });

  it('shapes scores by event context and by user segment', () => {
    const scorer = new PopularityScorer();
    scorer.fit(data);
    expect(scorer.segmentKeys).toEqual(
      expect.arrayContaining(['DEVICE=mobile', 'DEVICE=desktop', 'MEMBERSHIP=gold']),
    );
    expect(ids(scorer.popular(1, { context: { DEVICE: 'mobile' } }))).toEqual(['burst']);
    expect(ids(scorer.popular(1, { context: { MEMBERSHIP: 'free' } }))).toEqual(['classic']);
    const out = new Float32Array(data.items.ids.length + 1);
    scorer.scoreAll(
      {
        history: { items: new Int32Array(0), timestamps: new Float64Array(0) },
        context: { DEVICE: 'mobile' },
      },
      out,
    );
    expect(out[data.items.indexOf.get('burst')!]).toBe(1);
    expect(out[data.items.indexOf.get('classic')!]).toBe(0);
    // An unknown segment falls back to global popularity.
    expect(ids(scorer.popular(1, { context: { DEVICE: 'tv' } }))).toEqual(['classic']);
  });

  it('survives export, an artifact round trip and restore', () => {
    const scorer = new PopularityScorer({ mode: 'trending' });
    scorer.fit(data);
    const state = scorer.export();
    const restored = PopularityScorer.restore(readArtifact<typeof state.header>(writeArtifact(state)));
    expect(restored.popular(3)).toEqual(scorer.popular(3));
    const query = { context: { DEVICE: 'mobile' } };
    expect(restored.popular(3, query)).toEqual(scorer.popular(3, query));
    const attribute = { name: 'GENRES', value: 'drama' };
    expect(restored.popular(3, { attribute })).toEqual(scorer.popular(3, { attribute }));
  });

  it('refuses to answer before fitting and rejects a bad half-life', () => {
    expect(() => new PopularityScorer().popular(1)).toThrow(NotFittedError);
    expect(() => new PopularityScorer({ halfLifeDays: 0 })).toThrow(/halfLifeDays/);
  });
});
