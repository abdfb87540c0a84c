import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, 'explorer');

/** The explorer's files by URL path; nothing else under the folder is served. */
const ASSETS: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/explorer/explorer.js': { file: 'explorer.js', type: 'text/javascript; charset=utf-8' },
  '/explorer/explorer.css': { file: 'explorer.css', type: 'text/css; charset=utf-8' },
};

/** The URL paths of the explorer's files (GET only). */
export const EXPLORER_PATHS: readonly string[] = Object.keys(ASSETS);

export interface StaticFile {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The explorer page's file for a GET, or undefined. `/` is the page only for a client that asks for HTML (a
 * browser); API clients keep getting the OpenAPI document there. Files are read per request: they are small,
 * and an edit shows on reload.
 */
export function explorerFile(path: string, accept: string | undefined): StaticFile | undefined {
  const asset = ASSETS[path];
  if (asset === undefined) return undefined;
  if (path === '/' && !(accept ?? '').includes('text/html')) return undefined;
  return {
    headers: { 'content-type': asset.type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    body: readFileSync(join(DIR, asset.file), 'utf8'),
  };
}
