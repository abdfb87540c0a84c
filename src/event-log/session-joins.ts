import { hash64 } from '../core/hash64.ts';
import { BoundedHashSet } from '../data-validation/bounded-hash-set.ts';

/**
 * Which user each anonymous session logged in as, read in log order: a session's events sent without a
 * userId belong to the user of its first later event that has one (Personalize's rule: send the same
 * sessionId with the userId once the user logs in). Sessions that were anonymous are remembered as 64-bit
 * hashes in fixed memory; only sessions that were anonymous and then logged in keep their ids.
 */
export class SessionJoins {
  private readonly anonymous: BoundedHashSet;
  private readonly users = new Map<string, string>();
  private readonly hash = new Uint32Array(2);

  /** @param budgetBytes memory for the anonymous sessions' hashes (exact up to ~budget / 11 sessions) */
  constructor(budgetBytes: number) {
    this.anonymous = new BoundedHashSet(budgetBytes);
  }

  /** An event of `sessionId` without a userId. */
  noteAnonymous(sessionId: string): void {
    hash64(sessionId, this.hash);
    this.anonymous.addIsDuplicate(this.hash[0]!, this.hash[1]!);
  }

  /** An event of `sessionId` with `userId`: the session's login when it was anonymous before. */
  noteUser(sessionId: string, userId: string): void {
    if (this.users.has(sessionId)) return;
    hash64(sessionId, this.hash);
    if (this.anonymous.has(this.hash[0]!, this.hash[1]!)) this.users.set(sessionId, userId);
  }

  /** The user an anonymous session logged in as, if it did. */
  userOf(sessionId: string): string | undefined {
    return this.users.get(sessionId);
  }
}
