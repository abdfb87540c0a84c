import { describe, expect, it } from 'vitest';
import { NotFittedError } from '../../../src/errors.ts';
import { ContentScorer } from '../../../src/local/algorithms/content.ts';
import { tokenize } from '../../../src/local/algorithms/text/tokenize.ts';
import { datasetFromRows } from '../../../src/local/data/from-rows.ts';
import { readArtifact, writeArtifact } from '../../../src/local/model/artifact.ts';

// Two clear clusters (space films, cooking shows) plus an item with no metadata.
const items = [
  { ITEM_ID: 'space1', GENRES: 'SciFi|Adventure', DESCRIPTION: 'Astronauts travel to a distant galaxy' },
  { ITEM_ID: 'space2', GENRES: 'SciFi', DESCRIPTION: 'A galaxy war between astronauts and robots' },
  { ITEM_ID: 'space3', GENRES: 'SciFi|Drama', DESCRIPTION: 'Robots explore a distant planet' },
  { ITEM_ID: 'cook1', GENRES: 'Cooking', DESCRIPTION: 'Baking bread and pastry at home' },
  { ITEM_ID: 'cook2', GENRES: 'Cooking|Family', DESCRIPTION: 'Family recipes for bread and soup' },
  { ITEM_ID: 'cook3', GENRES: 'Cooking', DESCRIPTION: 'Quick soup and pastry recipes' },
  { ITEM_ID: 'bare', GENRES: null, DESCRIPTION: null },
];

function fitted(): { scorer: ContentScorer; index: (id: string) => number; ids: readonly string[] } {
  const data = datasetFromRows({ interactions: [{ userId: 'u', itemId: 'space1', timestamp: 1 }], items });
  const scorer = new ContentScorer({ neighbours: 3, recencyDecay: 0.5 });
  scorer.fit(data);
  return { scorer, index: (id) => data.items.indexOf.get(id)!, ids: data.items.ids };
}

describe('tokenize', () => {
  it('lower-cases, splits on non-letters and drops stopwords and single letters', () => {
    expect(tokenize("The Astronaut's 2nd trip: to Mars, a galaxy!")).toEqual([
      'astronaut',
      '2nd',
      'trip',
      'mars',
      'galaxy',
    ]);
  });
});

describe('ContentScorer', () => {
  it('finds neighbours among items sharing categories and words', () => {
    const { scorer, index, ids } = fitted();
    const similar = scorer.similarToItem(index('space1'), 3);
    expect(Array.from(similar.items, (i) => ids[i])).toEqual(['space2', 'space3']);
    expect(similar.scores[0]).toBeGreaterThan(similar.scores[1]!);
    const cooking = Array.from(scorer.similarToItem(index('cook2'), 3).items, (i) => ids[i]);
    expect(cooking.sort()).toEqual(['cook1', 'cook3']);
    expect(scorer.similarToItem(index('bare'), 3).items.length).toBe(0);
  });

  it('scores from the history, the most recent item weighing most', () => {
    const { scorer, index } = fitted();
    const out = new Float32Array(scorer.itemCount);
    scorer.scoreAll(
      {
        history: {
          items: Int32Array.from([index('space1'), index('cook1')]),
          timestamps: Float64Array.from([1, 2]),
        },
      },
      out,
    );
    expect(out[index('cook3')]).toBeGreaterThan(0);
    expect(out[index('cook2')]! + out[index('cook3')]!).toBeGreaterThan(
      out[index('space2')]! + out[index('space3')]!,
    );
    expect(out[index('bare')]).toBe(0);
  });

  it('places a new item among its content neighbours and makes it reachable', () => {
    const { scorer, index, ids } = fitted();
    const attributes = { GENRES: 'Cooking', DESCRIPTION: 'Bread soup for the family', PRICE: 3 };
    const preview = scorer.neighboursForAttributes(attributes, 2);
    expect(Array.from(preview.items, (i) => ids[i]).every((id) => id?.startsWith('cook'))).toBe(true);

    const added = scorer.addItem(attributes);
    expect(added).toBe(ids.length);
    expect(scorer.itemCount).toBe(ids.length + 1);
    expect(Array.from(scorer.similarToItem(added, 2).items)).toEqual(Array.from(preview.items));
    const out = new Float32Array(scorer.itemCount);
    scorer.scoreAll(
      { history: { items: Int32Array.from([index('cook2')]), timestamps: Float64Array.from([1]) } },
      out,
    );
    expect(out[added]).toBeGreaterThan(0);
  });

  it('survives export, an artifact round trip and restore', () => {
    const { scorer, index } = fitted();
    const state = scorer.export();
    const loaded = readArtifact<typeof state.header>(writeArtifact(state));
    const restored = ContentScorer.restore(loaded);
    expect(restored.similarToItem(index('space1'), 3)).toEqual(scorer.similarToItem(index('space1'), 3));
    const attributes = { GENRES: 'SciFi', DESCRIPTION: 'robots' };
    expect(restored.neighboursForAttributes(attributes, 3)).toEqual(
      scorer.neighboursForAttributes(attributes, 3),
    );
  });

  it('refuses to score before fitting', () => {
    expect(() => new ContentScorer().similarToItem(0, 1)).toThrow(NotFittedError);
  });
});
