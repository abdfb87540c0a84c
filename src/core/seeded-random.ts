import { randomInt } from 'node:crypto';
import { createRng } from './random.ts';

/** A [0, 1) source for spreading retries: seeded in tests, randomly seeded per instance otherwise. */
export function seededRandom(seed: number = randomInt(2 ** 31)): () => number {
  return createRng(seed).next;
}
