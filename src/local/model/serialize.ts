import { InvalidInputError } from '../../errors.ts';
import { ContentScorer, type ContentState } from '../algorithms/content.ts';
import { type AlgorithmRegistry, algorithmNamed } from '../algorithms/plugin.ts';
import { PopularityScorer, type PopularityState } from '../algorithms/popularity.ts';
import { BUILTIN_ALGORITHMS } from '../algorithms/registry.ts';
import type { IdIndex } from '../data/types.ts';
import { type ArtifactArray, readArtifact, writeArtifact } from './artifact.ts';
import { type AttributeState, exportAttributes, importAttributes } from './attribute-state.ts';
import type { BlendPart, HybridParts } from './hybrid.ts';
import type { ComponentChoice } from './tune.ts';
import type { Scorer } from './types.ts';

export const HYBRID_FORMAT = 'personalize-toolkit/hybrid';
export const HYBRID_FORMAT_VERSION = 1;

interface PartHeader {
  readonly choice: ComponentChoice;
  /** The scorer's own header; absent for a scorer the model holds anyway (content, popularity). */
  readonly state?: unknown;
}

interface HybridHeader {
  readonly format: typeof HYBRID_FORMAT;
  readonly version: number;
  readonly trainedItems: number;
  readonly blend: readonly PartHeader[];
  readonly content: ContentState['header'];
  readonly popularity: PopularityState['header'];
  readonly trending: PopularityState['header'];
  readonly itemAttributes: AttributeState['columns'];
  readonly userAttributes: AttributeState['columns'];
}

type Parts = { arrays: Record<string, ArtifactArray>; strings: Record<string, readonly string[]> };

function addPrefixed(into: Parts, prefix: string, from: Partial<Parts>): void {
  for (const [name, array] of Object.entries(from.arrays ?? {})) into.arrays[`${prefix}${name}`] = array;
  for (const [name, list] of Object.entries(from.strings ?? {})) into.strings[`${prefix}${name}`] = list;
}

function withPrefix<T>(all: Readonly<Record<string, T>>, prefix: string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [name, value] of Object.entries(all))
    if (name.startsWith(prefix)) out[name.slice(prefix.length)] = value;
  return out;
}

/** The scorers the model holds itself (stored once, under their own names); blend parts may refer to them. */
function heldScorers(parts: Pick<HybridParts, 'content' | 'popularity' | 'trending'>): readonly Scorer[] {
  return [parts.content, parts.popularity, parts.trending];
}

/** Writes the hybrid as one artifact (see `writeArtifact`); `items` includes items added since training. */
export function serializeHybrid(parts: HybridParts, items: IdIndex): Uint8Array {
  const body: Parts = {
    arrays: {
      'histories.start': parts.histories.start,
      'histories.items': parts.histories.items,
      'histories.timestamps': parts.histories.timestamps,
      'histories.eventTypes': parts.histories.eventTypes,
    },
    strings: { items: items.ids, users: parts.users.ids, eventTypes: parts.eventTypes },
  };
  const held = heldScorers(parts);
  const blend: PartHeader[] = parts.blend.map((part, i) => {
    if (held.includes(part.scorer)) return { choice: part.choice };
    const state = part.scorer.export();
    addPrefixed(body, `blend${i}.`, state);
    return { choice: part.choice, state: state.header };
  });
  const content = parts.content.export();
  addPrefixed(body, 'content.', content);
  const popularity = parts.popularity.export();
  addPrefixed(body, 'popularity.', popularity);
  const trending = parts.trending.export();
  addPrefixed(body, 'trending.', trending);
  const itemAttributes = exportAttributes(parts.itemAttributes, 'itemAttributes.');
  addPrefixed(body, '', itemAttributes);
  const userAttributes = exportAttributes(parts.userAttributes, 'userAttributes.');
  addPrefixed(body, '', userAttributes);
  const header: HybridHeader = {
    format: HYBRID_FORMAT,
    version: HYBRID_FORMAT_VERSION,
    trainedItems: parts.trainedItems,
    blend,
    content: content.header,
    popularity: popularity.header,
    trending: trending.header,
    itemAttributes: itemAttributes.columns,
    userAttributes: userAttributes.columns,
  };
  return writeArtifact({ header, arrays: body.arrays, strings: body.strings });
}

function indexOf(ids: readonly string[]): IdIndex {
  return { ids, indexOf: new Map(ids.map((id, i) => [id, i] as const)) };
}

/**
 * Rebuilds the parts of a hybrid from `serializeHybrid` output; arrays stay views into `buffer`. Each blend
 * part is restored by the plugin registered under its algorithm's name in `algorithms`, so a model trained
 * with an added algorithm loads with the same registry; InvalidInputError names an algorithm it lacks.
 */
export function deserializeHybrid(
  buffer: Uint8Array,
  algorithms: AlgorithmRegistry = BUILTIN_ALGORITHMS,
): HybridParts {
  const { header, arrays, strings } = readArtifact<HybridHeader>(buffer, 'model');
  if (header.format !== HYBRID_FORMAT || header.version !== HYBRID_FORMAT_VERSION)
    throw new InvalidInputError([
      {
        field: 'model',
        message: `must be a ${HYBRID_FORMAT} version ${HYBRID_FORMAT_VERSION} artifact, got ${header.format} version ${header.version}`,
      },
    ]);
  const content = ContentScorer.restore({
    header: header.content,
    arrays: withPrefix(arrays, 'content.'),
    strings: withPrefix(strings, 'content.'),
  });
  const popularity = PopularityScorer.restore({
    header: header.popularity,
    arrays: withPrefix(arrays, 'popularity.'),
    strings: withPrefix(strings, 'popularity.'),
  });
  const trending = PopularityScorer.restore({
    header: header.trending,
    arrays: withPrefix(arrays, 'trending.'),
    strings: withPrefix(strings, 'trending.'),
  });
  const held = heldScorers({ content, popularity, trending });
  const blend: BlendPart[] = header.blend.map(({ choice, state }, i) => {
    const field = `model.blend.${i}`;
    if (state === undefined) {
      const scorer = held.find((s) => s.name === choice.name);
      if (!scorer)
        throw new InvalidInputError([
          { field, message: `names algorithm '${choice.name}' without its state, and the model holds none` },
        ]);
      return { choice, scorer };
    }
    const prefix = `blend${i}.`;
    const scorer = algorithmNamed(algorithms, choice.name, field).restore({
      header: state,
      arrays: withPrefix(arrays, prefix),
      strings: withPrefix(strings, prefix),
    });
    return { choice, scorer };
  });
  const allItems = strings['items'] ?? [];
  return {
    // Items added after training were appended to the content index and are saved with it.
    items: indexOf(allItems),
    users: indexOf(strings['users'] ?? []),
    eventTypes: strings['eventTypes'] ?? [],
    itemAttributes: importAttributes(header.itemAttributes, arrays, strings, 'itemAttributes.'),
    userAttributes: importAttributes(header.userAttributes, arrays, strings, 'userAttributes.'),
    histories: {
      start: arrays['histories.start'] as Int32Array,
      items: arrays['histories.items'] as Int32Array,
      timestamps: arrays['histories.timestamps'] as Float64Array,
      eventTypes: arrays['histories.eventTypes'] as Uint8Array,
    },
    trainedItems: header.trainedItems,
    blend,
    content,
    popularity,
    trending,
  };
}
