/**
 * The most recent `capacity` distinct ids, oldest forgotten first: idempotency for at-least-once delivery
 * with bounded memory (a redelivery older than `capacity` newer ids is no longer recognised).
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) {
      throw new RangeError(`RecentIds: capacity must be a positive integer, got ${capacity}`);
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    // A Set iterates in insertion order: its first id is the oldest.
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
  }
}
