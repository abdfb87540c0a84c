import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every module a file loads at run time (type-only imports are erased), followed through relative imports. */
function runtimeImports(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, typeOnly, specifier] of source.matchAll(
      /^(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm,
    )) {
      if (typeOnly || !specifier) continue;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  visit(resolve(ROOT, entry));
  return { files: [...files].map((file) => relative(ROOT, file)).sort(), packages: [...packages].sort() };
}

describe('Route manifest imports', () => {
  it('loads only zod/mini and src/ modules, so the CDK app imports it without Lambda runtime code', () => {
    const { files, packages } = runtimeImports('src/api/routes.ts');
    expect(packages).toEqual(['zod/mini']);
    expect(files.every((file) => file.startsWith('src/'))).toBe(true);
    expect(files).toContain('src/serving/http/schemas.ts');
  });
});
