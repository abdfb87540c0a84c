import { API_ROUTE_LIST } from '../api/routes.ts';
import { WIRE_ROUTES } from '../personalize-wire/index.ts';
import { createRouter, routesByPath } from '../serving/http/router.ts';
import { EXPLORER_PATHS } from './explorer.ts';

export interface LocalRouteOptions {
  /** Whether `POST /` (Personalize's control plane) is served. */
  readonly controlPlane: boolean;
}

/**
 * The methods the local server answers on a path, or undefined for a path it does not serve (then the API's
 * 404). Derived from the manifests: the HTTP API's routes (src/api/routes.ts) and the CORS preflight its
 * Lambdas answer on each of their paths, the Personalize operations (POST, src/personalize-wire/routes.ts),
 * the OpenAPI document and the explorer's files (GET), and the control plane (`POST /`) when it is served.
 * HEAD is answered wherever GET is.
 */
export function localMethodsOf(options: LocalRouteOptions): (path: string) => readonly string[] | undefined {
  const served = [
    ...API_ROUTE_LIST.flatMap(({ method, path }) => [
      { method, path },
      { method: 'OPTIONS', path },
    ]),
    ...Object.values(WIRE_ROUTES).map(({ path }) => ({ method: 'POST', path })),
    ...['/openapi.json', ...EXPLORER_PATHS].map((path) => ({ method: 'GET', path })),
    ...(options.controlPlane ? [{ method: 'POST', path: '/' }] : []),
  ];
  const withHead = served.flatMap((entry) =>
    entry.method === 'GET' ? [entry, { method: 'HEAD', path: entry.path }] : [entry],
  );
  const route = createRouter(routesByPath(withHead));
  return (path) => {
    // The method is irrelevant here: any one reports the path's methods, and none decodes path parameters.
    const match = route('', path);
    return match.kind === 'not-found' ? undefined : [...match.allow].sort();
  };
}
