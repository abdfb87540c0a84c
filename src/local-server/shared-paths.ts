import { API_ROUTE_LIST } from '../api/routes.ts';
import { WIRE_ROUTES, type WireOperationName } from '../personalize-wire/routes.ts';

const membersOf = (schema: unknown): string[] =>
  Object.keys((schema as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});

/**
 * For a path that both a Personalize operation and an HTTP API POST route serve (`/events`): the request
 * members only the operation has (trackingId, eventList), by which the local server tells the two apart.
 */
function wireOnlyMembers(name: WireOperationName): readonly string[] | undefined {
  const { path, request } = WIRE_ROUTES[name];
  const api = API_ROUTE_LIST.find((route) => route.method === 'POST' && route.path === path);
  if (!api) return undefined;
  const apiMembers = new Set(membersOf(api.body));
  return membersOf(request).filter((member) => !apiMembers.has(member));
}

export const WIRE_ONLY_MEMBERS: Readonly<Partial<Record<WireOperationName, readonly string[]>>> =
  Object.fromEntries(
    (Object.keys(WIRE_ROUTES) as WireOperationName[]).flatMap((name) => {
      const members = wireOnlyMembers(name);
      return members ? [[name, members]] : [];
    }),
  );
