/**
 * Window counts are kept in time buckets: minutes for the last hour, hours for the last day and week. A
 * window covers the current bucket and the buckets before it, `span` in all: at 10:30:20 the 1h window
 * holds events from 09:31:00 on, the 24h window events from 11:00 the day before. An event counts by its
 * own timestamp (a late event lands in its bucket); one stamped in the future counts as "now".
 */
export const MINUTE_SECONDS = 60;
export const HOUR_SECONDS = 3600;
/** Minute buckets kept: the 1h window. */
export const MINUTE_BUCKETS = 60;
/** Hour buckets kept: the 7d window (the 24h one reads the newest 24). */
export const HOUR_BUCKETS = 168;

export type Granularity = 'minute' | 'hour';

export const WINDOWS = [
  { suffix: '1h', granularity: 'minute', span: 60 },
  { suffix: '24h', granularity: 'hour', span: 24 },
  { suffix: '7d', granularity: 'hour', span: 168 },
] as const satisfies readonly { suffix: string; granularity: Granularity; span: number }[];

export type WindowSuffix = (typeof WINDOWS)[number]['suffix'];

export const bucketSeconds = (granularity: Granularity) =>
  granularity === 'minute' ? MINUTE_SECONDS : HOUR_SECONDS;

/** The bucket number of a time in epoch seconds. */
export const bucketOf = (seconds: number, granularity: Granularity) =>
  Math.floor(seconds / bucketSeconds(granularity));

/**
 * Every count a store keeps for one entity and granularity: `visit(bucket, key, count)` with keys
 * `t:<eventType>` and `c:<category>`. A (bucket, key) pair may come more than once; counts add up.
 */
export type CountSource = (visit: (bucket: number, key: string, count: number) => void) => void;

/** A CountSource over bucket records (DynamoDB items): attributes other than `t:`/`c:` keys are skipped. */
export function bucketRecords(
  records: readonly { readonly bucket: number; readonly counts: Readonly<Record<string, unknown>> }[],
): CountSource {
  return (visit) => {
    for (const { bucket, counts } of records) {
      for (const [key, count] of Object.entries(counts)) {
        if ((key.startsWith('t:') || key.startsWith('c:')) && typeof count === 'number')
          visit(bucket, key, count);
      }
    }
  };
}

/**
 * Sums the counts inside the window ending at `nowSeconds` into per-type (`t:`) and per-category (`c:`)
 * counts; counts outside it are ignored, so sources may hold stale buckets.
 */
export function windowCounts(
  source: CountSource,
  granularity: Granularity,
  span: number,
  nowSeconds: number,
): { types: Record<string, number>; categories: Record<string, number> } {
  const newest = bucketOf(nowSeconds, granularity);
  const types: Record<string, number> = {};
  const categories: Record<string, number> = {};
  source((bucket, key, count) => {
    if (bucket <= newest - span || bucket > newest) return;
    const target = key.charCodeAt(0) === 116 /* t */ ? types : categories;
    const name = key.slice(2);
    target[name] = (target[name] ?? 0) + count;
  });
  return { types, categories };
}
