import { InvalidInputError } from '../../errors.ts';

/** A path template like `/items/{itemId}/similar`, and the handler per HTTP method. */
export interface Route<H> {
  readonly path: string;
  readonly methods: Readonly<Record<string, H>>;
}

export type RouteMatch<H> =
  | {
      readonly kind: 'found';
      /** The matched path template. */
      readonly path: string;
      readonly handler: H;
      readonly params: Record<string, string>;
      readonly allow: string[];
    }
  | { readonly kind: 'method-not-allowed'; readonly path: string; readonly allow: string[] }
  | { readonly kind: 'not-found' };

interface CompiledRoute<H> {
  readonly pattern: RegExp;
  readonly names: string[];
  readonly route: Route<H>;
}

function compile<H>(route: Route<H>): CompiledRoute<H> {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), names, route };
}

function decode(value: string, name: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new InvalidInputError([{ field: name, message: 'must be a valid URL-encoded path segment' }]);
  }
}

/** Groups `{ method, path }` entries into one route per path, keeping the first appearance's order. */
export function routesByPath<T extends { readonly method: string; readonly path: string }>(
  entries: readonly T[],
): Route<T>[] {
  const byPath = new Map<string, Record<string, T>>();
  for (const entry of entries) {
    const methods = byPath.get(entry.path) ?? {};
    methods[entry.method] = entry;
    byPath.set(entry.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({ path, methods }));
}

/** Matches method and path against a route table; tells apart an unknown path (404) from a wrong method (405). */
export function createRouter<H>(
  routes: readonly Route<H>[],
): (method: string, path: string) => RouteMatch<H> {
  const compiled = routes.map(compile);
  return (method, path) => {
    for (const { pattern, names, route } of compiled) {
      const match = pattern.exec(path);
      if (!match) continue;
      const allow = Object.keys(route.methods);
      const handler = route.methods[method.toUpperCase()];
      if (handler === undefined) return { kind: 'method-not-allowed', path: route.path, allow };
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        params[name] = decode(match[index + 1] ?? '', name);
      });
      return { kind: 'found', path: route.path, handler, params, allow };
    }
    return { kind: 'not-found' };
  };
}
