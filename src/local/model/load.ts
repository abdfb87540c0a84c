import type { AlgorithmRegistry } from '../algorithms/plugin.ts';
import { Hybrid } from './hybrid.ts';
import { deserializeHybrid } from './serialize.ts';
import type { HybridModel } from './types.ts';

/**
 * Loads a model written by `HybridModel.serialize()`; large arrays are views into `buf`, not copies. A model
 * trained with added algorithms loads with the same `algorithms` registry (default: `BUILTIN_ALGORITHMS`).
 */
export function loadModel(buf: Uint8Array, algorithms?: AlgorithmRegistry): HybridModel {
  return new Hybrid(deserializeHybrid(buf, algorithms));
}
