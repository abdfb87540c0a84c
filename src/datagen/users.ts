import type { Rng } from '../core/random.ts';
import {
  AGE_GROUPS,
  CATEGORIES,
  DEVICE_WEIGHTS,
  MEMBERSHIP_WEIGHTS,
  MEMBERSHIPS,
  REGIONS,
} from './vocabulary.ts';

/** Share of users (when there are enough interactions) who interact exactly once. */
const SINGLE_INTERACTION_SHARE = 0.1;
/** Pareto shape of user activity: most users are light, a few are heavy. */
const ACTIVITY_SHAPE = 1.5;
/** Cap on one user's activity weight relative to the lightest, so no user swallows the dataset. */
const ACTIVITY_CAP = 50;
/** Weights of a user's first, second and third favourite category. */
const TASTE_WEIGHTS = [0.6, 0.25, 0.15] as const;

/**
 * Interactions per user, summing exactly to `interactions`. With fewer interactions than users, the first
 * users get one each and the rest none (cold users); otherwise every user gets at least one, about a tenth
 * exactly one, and the remainder is shared by Pareto-distributed activity.
 */
export function allocateInteractions(users: number, interactions: number, rng: Rng): Int32Array {
  const counts = new Int32Array(users);
  if (interactions <= users) {
    counts.fill(1, 0, interactions);
    return counts;
  }
  const weight = new Float64Array(users);
  let total = 0;
  for (let u = 0; u < users; u++) {
    const single = rng.chance(SINGLE_INTERACTION_SHARE);
    weight[u] = single ? 0 : Math.min(ACTIVITY_CAP, (1 - rng.next()) ** (-1 / ACTIVITY_SHAPE));
    total += weight[u]!;
  }
  if (total === 0) {
    weight[0] = 1;
    total = 1;
  }
  // Rounding the running total (not each share) makes the counts add up exactly.
  const remainder = interactions - users;
  let running = 0;
  let given = 0;
  for (let u = 0; u < users; u++) {
    running += weight[u]!;
    const upTo = Math.round((running / total) * remainder);
    counts[u] = 1 + upTo - given;
    given = upTo;
  }
  return counts;
}

function pickWeighted(weights: readonly number[], rng: Rng): number {
  let r = rng.next();
  for (let i = 0; i < weights.length - 1; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/**
 * One user's hidden tastes and visible attributes. Reused across users (filled by `drawUser`) so the hot
 * loop allocates nothing per user beyond the CSV text.
 */
export class UserProfile {
  /** Favourite categories, best first. */
  readonly tastes = new Int32Array(TASTE_WEIGHTS.length);
  tasteCount = 0;
  /** Index into DEVICES of the user's usual device. */
  device = 0;
  /** The user's `users.csv` row (USER_ID,MEMBERSHIP,AGE_GROUP,REGION). */
  row = '';

  /** Picks a favourite category: the first in proportion to the taste weights of those drawn. */
  pickTaste(rng: Rng): number {
    let total = 0;
    for (let t = 0; t < this.tasteCount; t++) total += TASTE_WEIGHTS[t]!;
    let r = rng.next() * total;
    for (let t = 0; t < this.tasteCount - 1; t++) {
      r -= TASTE_WEIGHTS[t]!;
      if (r < 0) return this.tastes[t]!;
    }
    return this.tastes[this.tasteCount - 1]!;
  }
}

export function userId(index: number): string {
  return `u${index}`;
}

/**
 * Fills `profile` for user `index`. The age group leans the first taste towards two categories, so user
 * attributes carry some signal about what a user likes.
 */
export function drawUser(index: number, rng: Rng, profile: UserProfile): void {
  const age = rng.int(AGE_GROUPS.length);
  profile.tasteCount = 1 + rng.int(TASTE_WEIGHTS.length);
  for (let t = 0; t < profile.tasteCount; t++) {
    let c: number;
    do {
      c =
        t === 0 && rng.chance(0.5) ? (age * 2 + rng.int(2)) % CATEGORIES.length : rng.int(CATEGORIES.length);
    } while (profile.tastes.subarray(0, t).includes(c));
    profile.tastes[t] = c;
  }
  profile.device = pickWeighted(DEVICE_WEIGHTS, rng);
  const membership = MEMBERSHIPS[pickWeighted(MEMBERSHIP_WEIGHTS, rng)];
  const ageGroup = rng.chance(0.03) ? '' : AGE_GROUPS[age];
  const region = rng.chance(0.02) ? '' : REGIONS[rng.int(REGIONS.length)];
  profile.row = `${userId(index)},${membership},${ageGroup},${region}\n`;
}

/** Index into DEVICES of one event's device: usually the user's own, sometimes another; -1 (unknown) rarely. */
export function eventDevice(profile: UserProfile, rng: Rng): number {
  const r = rng.next();
  if (r < 0.01) return -1;
  if (r < 0.85) return profile.device;
  return pickWeighted(DEVICE_WEIGHTS, rng);
}
