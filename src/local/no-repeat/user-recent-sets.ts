import { LruMap } from './lru-map.ts';
import { RecentSet } from './recent-set.ts';

export interface UserRecentSetsOptions {
  /** Items remembered per user before the oldest generation is dropped. @default 100 */
  readonly windowSize?: number;
  /** Users tracked at once; the least recently seen is forgotten beyond it. @default 10_000 */
  readonly maxUsers?: number;
  /** Per generation; a lookup may hit either of two generations, so the overall rate is about twice it. @default 0.01 */
  readonly falsePositiveRate?: number;
}

/**
 * Per-user memory of recently recommended items for the no-repeat mode, in bounded space: each user gets a
 * RecentSet of fixed size, and at most `maxUsers` users are kept (LRU), so memory is at most
 * `maxUsers × bytesPerUser` (≈ 2.4 MB for the defaults).
 */
export class UserRecentSets {
  readonly windowSize: number;
  readonly maxUsers: number;
  readonly falsePositiveRate: number;
  private readonly users: LruMap<string, RecentSet>;

  constructor(options: UserRecentSetsOptions = {}) {
    this.windowSize = options.windowSize ?? 100;
    this.maxUsers = options.maxUsers ?? 10_000;
    this.falsePositiveRate = options.falsePositiveRate ?? 0.01;
    this.users = new LruMap(this.maxUsers);
  }

  get trackedUsers(): number {
    return this.users.size;
  }

  /** The fixed size of one user's filters, in bytes. */
  get bytesPerUser(): number {
    return new RecentSet(this.windowSize, this.falsePositiveRate).bytes;
  }

  /** The user's set, or undefined when they have none (never recommended to, or evicted). */
  of(userId: string): RecentSet | undefined {
    return this.users.get(userId);
  }

  remember(userId: string, items: Iterable<number>): void {
    let set = this.users.get(userId);
    if (set === undefined)
      this.users.set(userId, (set = new RecentSet(this.windowSize, this.falsePositiveRate)));
    for (const item of items) set.add(item);
  }
}
