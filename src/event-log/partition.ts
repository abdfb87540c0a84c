/**
 * The event log's folder layout, the one Firehose writes with the prefix `dt=!{timestamp:yyyy-MM-dd}/`:
 * `<dir>/dt=YYYY-MM-DD/part-*.jsonl`, the date being the UTC day a record was received.
 */
const DAY_MS = 86_400_000;

/** `dt=2026-12-02` for a time in epoch seconds. */
export function partitionOf(epochSeconds: number): string {
  return `dt=${new Date(Math.floor(epochSeconds / 86_400) * DAY_MS).toISOString().slice(0, 10)}`;
}

/** Every partition name from the day of `fromSeconds` to the day of `toSeconds`, both included, in order. */
export function partitionsBetween(fromSeconds: number, toSeconds: number): string[] {
  const names: string[] = [];
  for (let day = Math.floor(fromSeconds / 86_400); day <= Math.floor(toSeconds / 86_400); day++) {
    names.push(partitionOf(day * 86_400));
  }
  return names;
}

/** `dt=2026-12-02` → 2026-12-02T00:00Z in epoch seconds, or undefined for any other name. */
export function partitionStart(name: string): number | undefined {
  const match = /^dt=(\d{4}-\d{2}-\d{2})$/.exec(name);
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}
