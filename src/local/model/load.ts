import { Hybrid } from './hybrid.ts';
import { deserializeHybrid } from './serialize.ts';
import type { HybridModel } from './types.ts';

/** Loads a model written by `HybridModel.serialize()`; large arrays are views into `buf`, not copies. */
export function loadModel(buf: Uint8Array): HybridModel {
  return new Hybrid(deserializeHybrid(buf));
}
