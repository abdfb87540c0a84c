import type { ProgressReporter } from '../../core/progress.ts';
import { topK } from '../../core/top-k.ts';
import { InvalidInputError, NotFittedError } from '../../errors.ts';
import type { Dataset } from '../data/types.ts';
import type { ArtifactArray } from '../model/artifact.ts';
import type { ExclusionMask, ScoreQuery, Scorer, TopK } from '../model/types.ts';
import type { AlgorithmPlugin } from './plugin.ts';

const DAY_SECONDS = 86_400;
/** Columns with more distinct values than this are not segments (they would be too thin to rank by). */
export const MAX_SEGMENT_VALUES = 100;

/**
 * `popularity`: distinct users per item. `trending`: every event counts `2^(-age / halfLife)`, its age taken
 * from "now", so a recent burst outranks old popularity.
 */
export type PopularityMode = 'popularity' | 'trending';

export interface PopularityOptions {
  /** @default 'popularity' */
  readonly mode?: PopularityMode;
  /** Half-life of the trending decay, in days. @default 7 */
  readonly halfLifeDays?: number;
  /** "Now" in epoch seconds; events after it are ignored. @default - the newest training timestamp */
  readonly now?: number;
}

/** What `PopularityScorer.export` hands to the model artifact. */
export interface PopularityState {
  readonly header: {
    readonly mode: PopularityMode;
    readonly halfLifeDays: number;
    readonly now: number;
    readonly items: number;
    /** Segment keys (`DEVICE=mobile`), aligned with rows of the `segmentScores` array. */
    readonly segmentKeys: readonly string[];
    readonly itemColumns: readonly string[];
  };
  readonly arrays: Readonly<Record<string, ArtifactArray>>;
  readonly strings: Readonly<Record<string, readonly string[]>>;
}

interface Fitted {
  readonly now: number;
  readonly scores: Float32Array;
  /** Segment key → scores within that segment (events with DEVICE=mobile, users with MEMBERSHIP=gold). */
  readonly segments: ReadonlyMap<string, Float32Array>;
  /** `COLUMN=value` of categorical item attributes → items holding it. */
  readonly itemMembers: ReadonlyMap<string, Int32Array>;
  readonly itemColumns: ReadonlySet<string>;
}

/** Row order grouped by user (counting sort), for per-user passes over an unsorted interactions table. */
function rowsByUser(userIndex: Int32Array, users: number): Int32Array {
  const start = new Int32Array(users + 1);
  for (const u of userIndex) start[u + 1]!++;
  for (let u = 0; u < users; u++) start[u + 1]! += start[u]!;
  const order = new Int32Array(userIndex.length);
  for (let r = 0; r < userIndex.length; r++) order[start[userIndex[r]!]!++] = r;
  return order;
}

/**
 * What each event adds to its item: for popularity 1 on a user's first event with the item (so the total is
 * distinct users), for trending its decayed weight. Events after `now` add nothing.
 */
function eventWeights(
  data: Dataset,
  mode: PopularityMode,
  now: number,
  halfLifeSeconds: number,
): Float32Array {
  const { userIndex, itemIndex, timestamp, length } = data.interactions;
  const weights = new Float32Array(length);
  if (mode === 'trending') {
    for (let r = 0; r < length; r++) {
      const age = now - timestamp[r]!;
      weights[r] = age < 0 ? 0 : 2 ** (-age / halfLifeSeconds);
    }
    return weights;
  }
  const seenBy = new Int32Array(data.items.ids.length).fill(-1);
  for (const r of rowsByUser(userIndex, data.users.ids.length)) {
    const item = itemIndex[r]!;
    if (timestamp[r]! > now || seenBy[item] === userIndex[r]) continue;
    seenBy[item] = userIndex[r]!;
    weights[r] = 1;
  }
  return weights;
}

/** Adds each event's weight to its item, globally and in every segment the event belongs to. */
function segmentTotals(
  data: Dataset,
  weights: Float32Array,
): { global: Float32Array; segments: Map<string, Float32Array> } {
  const items = data.items.ids.length;
  const { userIndex, itemIndex, length } = data.interactions;
  const global = new Float32Array(items);
  for (let r = 0; r < length; r++) global[itemIndex[r]!]! += weights[r]!;
  const segments = new Map<string, Float32Array>();
  const vector = (key: string): Float32Array => {
    let v = segments.get(key);
    if (!v) segments.set(key, (v = new Float32Array(items)));
    return v;
  };
  for (const column of data.interactions.context ?? []) {
    if (column.values.length - 1 > MAX_SEGMENT_VALUES) continue;
    const byCode = column.values.map((value) =>
      value === '' ? undefined : vector(`${column.name}=${value}`),
    );
    for (let r = 0; r < length; r++) {
      const v = byCode[column.codes[r]!];
      if (v) v[itemIndex[r]!]! += weights[r]!;
    }
  }
  for (const column of data.userAttributes.columns) {
    if (column.kind !== 'categorical' || new Set(column.values.flat()).size > MAX_SEGMENT_VALUES) continue;
    const ofUser = column.values.map((values) => values.map((value) => vector(`${column.name}=${value}`)));
    for (let r = 0; r < length; r++) {
      for (const v of ofUser[userIndex[r]!] ?? []) v[itemIndex[r]!]! += weights[r]!;
    }
  }
  return { global, segments };
}

function itemMembership(data: Dataset): { members: Map<string, Int32Array>; columns: Set<string> } {
  const lists = new Map<string, number[]>();
  const columns = new Set<string>();
  for (const column of data.itemAttributes.columns) {
    if (column.kind !== 'categorical') continue;
    columns.add(column.name);
    column.values.forEach((values, item) => {
      for (const value of values) {
        const key = `${column.name}=${value}`;
        const list = lists.get(key);
        if (list) list.push(item);
        else lists.set(key, [item]);
      }
    });
  }
  return { members: new Map([...lists].map(([key, list]) => [key, Int32Array.from(list)])), columns };
}

/** Average of the context's segments, each scaled to its maximum; undefined when no segment matches. */
function contextScores(
  segments: ReadonlyMap<string, Float32Array>,
  context: Readonly<Record<string, string>>,
): Float32Array | undefined {
  const matching = Object.entries(context).flatMap(([name, value]) => segments.get(`${name}=${value}`) ?? []);
  if (matching.length === 0) return undefined;
  const out = new Float32Array(matching[0]!.length);
  for (const scores of matching) {
    let max = 0;
    for (const s of scores) if (s > max) max = s;
    if (max === 0) continue;
    const scale = 1 / (max * matching.length);
    for (let i = 0; i < out.length; i++) out[i]! += scores[i]! * scale;
  }
  return out;
}

/**
 * Popular and trending items, globally, within an item category (`popular in GENRES=comedy`) and within a
 * segment of the context: events with `DEVICE=mobile` (interaction context columns) or users with
 * `MEMBERSHIP=gold` (categorical user attributes). Context shaping averages the matching segments' scores,
 * each scaled to its maximum, so unknown users still get answers that fit how they arrive.
 */
export class PopularityScorer implements Scorer {
  readonly name: PopularityMode;
  readonly halfLifeDays: number;
  private readonly fixedNow: number | undefined;
  private fitted: Fitted | undefined;

  constructor(options: PopularityOptions = {}) {
    this.name = options.mode ?? 'popularity';
    this.halfLifeDays = options.halfLifeDays ?? 7;
    this.fixedNow = options.now;
    if (!(this.halfLifeDays > 0) || !Number.isFinite(this.halfLifeDays)) {
      throw new RangeError(
        `PopularityScorer: halfLifeDays must be a positive number, got ${this.halfLifeDays}`,
      );
    }
  }

  fit(data: Dataset, progress?: ProgressReporter): void {
    const { timestamp, length } = data.interactions;
    let newest = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < length; r++) if (timestamp[r]! > newest) newest = timestamp[r]!;
    const now = this.fixedNow ?? (length > 0 ? newest : 0);
    progress?.start(`${this.name} counts`, 2);
    const weights = eventWeights(data, this.name, now, this.halfLifeDays * DAY_SECONDS);
    progress?.update(1);
    const { global, segments } = segmentTotals(data, weights);
    const { members, columns } = itemMembership(data);
    progress?.update(2);
    progress?.stop();
    this.fitted = { now, scores: global, segments, itemMembers: members, itemColumns: columns };
  }

  private get state(): Fitted {
    if (!this.fitted) throw new NotFittedError(`${this.name} is not fitted`);
    return this.fitted;
  }

  /** "Now" the scores were computed for. */
  get now(): number {
    return this.state.now;
  }

  /** Global score per item (distinct users, or decayed event mass). */
  get itemScores(): Float32Array {
    return this.state.scores;
  }

  /** Segment keys the context can name, e.g. `DEVICE=mobile`, `MEMBERSHIP=gold`. */
  get segmentKeys(): readonly string[] {
    return [...this.state.segments.keys()];
  }

  /** Global scores, or the context's segment scores when `query.context` names known segments. */
  scoreAll(query: ScoreQuery, out: Float32Array): void {
    const { scores, segments } = this.state;
    if (out.length < scores.length) {
      throw new RangeError(`${this.name}.scoreAll: out must hold ${scores.length} items, got ${out.length}`);
    }
    // Items added after training (beyond the fitted ones) have no popularity yet.
    out.fill(0);
    out.set((query.context && contextScores(segments, query.context)) ?? scores);
  }

  /**
   * The k best items with a positive score, optionally only those whose categorical item attribute holds
   * `attribute.value` (`popular in GENRES=comedy`), shaped by context as in `scoreAll`.
   */
  popular(
    k: number,
    options: {
      readonly attribute?: { readonly name: string; readonly value: string };
      readonly context?: Readonly<Record<string, string>>;
      readonly exclude?: ExclusionMask;
    } = {},
  ): TopK {
    const { scores, segments, itemMembers, itemColumns } = this.state;
    const shaped = (options.context && contextScores(segments, options.context)) ?? scores;
    let mask = options.exclude?.subarray(0, scores.length);
    if (options.attribute) {
      const { name, value } = options.attribute;
      if (!itemColumns.has(name)) {
        throw new InvalidInputError([
          { field: 'attribute', message: `${name} is not a categorical item attribute of the training data` },
        ]);
      }
      const allowed = new Uint8Array(scores.length).fill(1);
      for (const item of itemMembers.get(`${name}=${value}`) ?? []) allowed[item] = mask ? mask[item]! : 0;
      mask = allowed;
    }
    const best = topK(shaped, k, mask);
    let n = best.items.length;
    while (n > 0 && !(best.scores[n - 1]! > 0)) n--;
    return { items: best.items.subarray(0, n), scores: best.scores.subarray(0, n) };
  }

  /** The fitted state as artifact parts. */
  export(): PopularityState {
    const { now, scores, segments, itemMembers, itemColumns } = this.state;
    const segmentKeys = [...segments.keys()];
    const segmentScores = new Float32Array(segmentKeys.length * scores.length);
    segmentKeys.forEach((key, s) => {
      segmentScores.set(segments.get(key)!, s * scores.length);
    });
    const memberKeys = [...itemMembers.keys()];
    const memberIndptr = new Int32Array(memberKeys.length + 1);
    memberKeys.forEach((key, m) => {
      memberIndptr[m + 1] = memberIndptr[m]! + itemMembers.get(key)!.length;
    });
    const memberItems = new Int32Array(memberIndptr[memberKeys.length]!);
    memberKeys.forEach((key, m) => {
      memberItems.set(itemMembers.get(key)!, memberIndptr[m]!);
    });
    return {
      header: {
        mode: this.name,
        halfLifeDays: this.halfLifeDays,
        now,
        items: scores.length,
        segmentKeys,
        itemColumns: [...itemColumns],
      },
      arrays: { scores, segmentScores, memberIndptr, memberItems },
      strings: { memberKeys },
    };
  }

  /** Rebuilds a fitted scorer from `export()` output. */
  static restore(state: PopularityState): PopularityScorer {
    const { header, arrays, strings } = state;
    const scorer = new PopularityScorer({
      mode: header.mode,
      halfLifeDays: header.halfLifeDays,
      now: header.now,
    });
    const n = header.items;
    const segmentScores = arrays.segmentScores as Float32Array;
    const memberIndptr = arrays.memberIndptr as Int32Array;
    const memberItems = arrays.memberItems as Int32Array;
    scorer.fitted = {
      now: header.now,
      scores: arrays.scores as Float32Array,
      segments: new Map(
        header.segmentKeys.map((key, s) => [key, segmentScores.subarray(s * n, (s + 1) * n)]),
      ),
      itemMembers: new Map(
        (strings.memberKeys ?? []).map((key, m) => [
          key,
          memberItems.subarray(memberIndptr[m]!, memberIndptr[m + 1]!),
        ]),
      ),
      itemColumns: new Set(header.itemColumns),
    };
    return scorer;
  }
}

/**
 * Popularity fills short lists and trending serves `popular({ now })`, so the model holds one of each; a
 * blend part of the same name refers to the model's instance.
 */
export const popularityAlgorithm: AlgorithmPlugin = {
  name: 'popularity',
  create: (options) => new PopularityScorer({ ...options, mode: 'popularity' }),
  restore: PopularityScorer.restore,
  tuning: { full: [{}], fast: [{}], recencyDecay: false },
};

/**
 * Tuned like the others: where recent popularity says more about the next interaction than all-time
 * popularity the validation gives it weight, where timestamps carry no signal it gets none.
 */
export const trendingAlgorithm: AlgorithmPlugin = {
  name: 'trending',
  create: (options) => new PopularityScorer({ ...options, mode: 'trending' }),
  restore: PopularityScorer.restore,
  tuning: { full: [{}], fast: [{}], recencyDecay: false },
};
