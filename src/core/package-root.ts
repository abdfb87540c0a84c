import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest folder at or above `moduleUrl`'s that holds `marker` (e.g. `schemas/interactions.json`), or
 * undefined. Files shipped beside the code are found this way from the TypeScript sources (`src/…`) and from
 * the bundles in `dist/` alike, whose depths differ.
 */
export function folderAbove(moduleUrl: string, marker: string): string | undefined {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (existsSync(join(dir, marker))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
