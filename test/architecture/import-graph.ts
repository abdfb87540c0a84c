import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, posix, relative, resolve } from 'node:path';

/** One import of one module by another, in repository-relative paths. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  /** `import type` / `export type`: erased at run time, so it pulls in no code. */
  readonly typeOnly: boolean;
}

// Static imports and re-exports, dynamic imports, and worker modules started from a URL next to the caller.
const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"`;]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
const WORKER_URL = /new URL\(\s*`(\.{1,2}\/[^`$]+)\$\{/g;

/** The relative imports of one source text, resolved against its repository path. */
export function importsOf(file: string, source: string): ImportEdge[] {
  const at = (spec: string) => posix.normalize(posix.join(posix.dirname(file), spec));
  const edges: ImportEdge[] = [];
  for (const m of source.matchAll(IMPORT)) edges.push({ from: file, to: at(m[3]!), typeOnly: !!m[2] });
  for (const m of source.matchAll(DYNAMIC)) edges.push({ from: file, to: at(m[1]!), typeOnly: false });
  for (const m of source.matchAll(WORKER_URL))
    edges.push({ from: file, to: `${at(m[1]!)}.ts`, typeOnly: false });
  return edges;
}

/** Every relative import of every tracked TypeScript file under the given top-level folders. */
export function repositoryImports(root: string, folders: readonly string[]): ImportEdge[] {
  const files = execFileSync('git', ['ls-files', ...folders.map((f) => `${f}/*.ts`)], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  return files.flatMap((file) =>
    importsOf(file, readFileSync(resolve(root, file), 'utf8')).map((edge) => ({
      ...edge,
      to: relative(root, resolve(root, dirname(file), relative(dirname(file), edge.to))),
    })),
  );
}
