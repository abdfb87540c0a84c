import { randomUUID } from 'node:crypto';

/** A Personalize-shaped recommendation id (`RID-` + 36-char UUID = 40 chars, PutEvents' limit). */
export function newRecommendationId(): string {
  return `RID-${randomUUID()}`;
}
