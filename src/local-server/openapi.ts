import type * as z from 'zod/mini';
import { errorResponse, ingestionResponse, recommendationsResponse } from '../api/responses.ts';
import { API_ROUTE_LIST, type ApiRoute, requiredQueryParams } from '../api/routes.ts';
import { WIRE_ROUTES, type WireOperationName, wireErrorResponse } from '../personalize-wire/routes.ts';
import { type JsonSchema, toJsonSchema } from './json-schema.ts';
import { WIRE_ONLY_MEMBERS } from './shared-paths.ts';

/**
 * The OpenAPI 3.1 document served at `GET /openapi.json`, generated from the route manifest
 * (src/api/routes.ts) and the Personalize-compatible operations (personalize-wire/routes.ts): every schema in
 * it is one of their zod schemas, so the document cannot drift from what the handlers accept.
 */

interface Reply {
  readonly description: string;
  readonly content?: { readonly 'application/json': { readonly schema: JsonSchema } };
}

interface Operation {
  readonly operationId: string;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly parameters?: readonly JsonSchema[];
  readonly requestBody?: { readonly required: true; readonly content: Reply['content'] };
  readonly responses: Readonly<Record<string, Reply>>;
  readonly 'x-personalize-operation'?: WireOperationName;
}

export const OPEN_API_TAGS = {
  api: 'HTTP API',
  wire: 'Personalize-compatible',
} as const;

/** Schemas many operations share, written once under components. */
const COMPONENTS = new Map<z.ZodMiniType, string>([
  [recommendationsResponse, 'Recommendations'],
  [ingestionResponse, 'IngestionResult'],
  [errorResponse, 'Error'],
  [wireErrorResponse, 'PersonalizeError'],
]);

/** Requests are described as sent (query text before parsing), replies as received. */
function jsonSchemaOf(schema: z.ZodMiniType, io: 'input' | 'output', inline = false): JsonSchema {
  const name = inline ? undefined : COMPONENTS.get(schema);
  if (name) return { $ref: `#/components/schemas/${name}` };
  return toJsonSchema(schema, io);
}

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

const reply = (description: string, schema: z.ZodMiniType): Reply => ({
  description,
  content: json(jsonSchemaOf(schema, 'output')),
});

/** What any HTTP API route may answer besides its own replies (lambdas/shared/api-handler.ts). */
const API_ERRORS: Record<number, string> = {
  400: 'Invalid input; `issues` names each bad field and its limit.',
  404: 'Unknown route, filter or resource.',
  405: 'Method not allowed on this path; the Allow header lists the allowed ones.',
  429: 'Throttled (API Gateway usage plan or the engine).',
  500: 'Internal error.',
  503: 'No engine could answer now; retry later.',
};

const WIRE_ERRORS: Record<number, string> = {
  400: 'InvalidInputException (also ThrottlingException).',
  404: 'ResourceNotFoundException: unknown campaign, recommender, filter or dataset.',
  409: 'ResourceInUseException.',
  500: 'InternalFailure.',
};

function parameter(
  name: string,
  where: 'path' | 'query',
  member: z.ZodMiniType,
  required: boolean,
): JsonSchema {
  const { description, ...schema } = jsonSchemaOf(member, 'input', true);
  return { name, in: where, required, ...(description !== undefined && { description }), schema };
}

function parametersOf(route: ApiRoute): JsonSchema[] {
  const required = new Set(requiredQueryParams(route));
  return [
    ...Object.entries(route.params?.shape ?? {}).map(([name, member]) =>
      parameter(name, 'path', member as z.ZodMiniType, true),
    ),
    ...Object.entries(route.query?.shape ?? {}).map(([name, member]) =>
      parameter(name, 'query', member as z.ZodMiniType, required.has(name)),
    ),
  ];
}

function apiOperation(route: ApiRoute): Operation {
  const parameters = parametersOf(route);
  const responses: Record<string, Reply> = {};
  for (const [status, description] of Object.entries(API_ERRORS)) {
    responses[status] = reply(description, errorResponse);
  }
  for (const [status, own] of Object.entries(route.replies)) {
    responses[status] = reply(own.description, own.schema);
  }
  return {
    operationId: route.id,
    tags: [OPEN_API_TAGS.api],
    summary: route.summary,
    ...(route.description !== undefined && { description: route.description }),
    ...(parameters.length > 0 && { parameters }),
    ...(route.body && {
      requestBody: { required: true, content: json(jsonSchemaOf(route.body, 'input')) },
    }),
    responses: sortedByStatus(responses),
  };
}

function wireOperation(name: WireOperationName): Operation {
  const route = WIRE_ROUTES[name];
  const responses: Record<string, Reply> = { 200: reply('Success.', route.response) };
  for (const status of [...route.errors, 500]) {
    responses[status] = reply(WIRE_ERRORS[status] ?? 'Error.', wireErrorResponse);
  }
  return {
    operationId: name,
    tags: [OPEN_API_TAGS.wire],
    summary: route.summary,
    description: `Amazon Personalize's ${name} (${route.service}, restJson1) for AWS SDK and CLI clients: point the client's endpoint at this server.`,
    requestBody: { required: true, content: json(jsonSchemaOf(route.request, 'input')) },
    responses,
    'x-personalize-operation': name,
  };
}

function sortedByStatus(responses: Record<string, Reply>): Record<string, Reply> {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

const schemaOf = (r: Pick<Reply, 'content'> | undefined) => r?.content?.['application/json'].schema;
const oneOf = (a: JsonSchema | undefined, b: JsonSchema | undefined): JsonSchema | undefined =>
  a && b ? (JSON.stringify(a) === JSON.stringify(b) ? a : { oneOf: [a, b] }) : (a ?? b);

/**
 * One path and method served both by the HTTP API and a Personalize operation (`POST /events`): OpenAPI
 * allows one operation there, so it takes either body and lists either reply.
 */
function merged(api: Operation, wire: Operation): Operation {
  const responses: Record<string, Reply> = {};
  for (const status of new Set([...Object.keys(api.responses), ...Object.keys(wire.responses)])) {
    const a = api.responses[status];
    const b = wire.responses[status];
    const schema = oneOf(schemaOf(a), schemaOf(b));
    responses[status] = {
      description: [a?.description, b && `${wire.operationId}: ${b.description}`].filter(Boolean).join(' '),
      ...(schema && { content: json(schema) }),
    };
  }
  const body = oneOf(schemaOf(api.requestBody), schemaOf(wire.requestBody));
  const ownMembers = WIRE_ONLY_MEMBERS[wire.operationId as WireOperationName] ?? [];
  return {
    ...api,
    tags: [...api.tags, ...wire.tags],
    summary: `${api.summary}; or ${wire.summary}`,
    description:
      `${api.description ?? ''} The local server sends a body naming one of ${wire.operationId}'s own members (${ownMembers.join(', ')}) to ${wire.operationId}, any other to the HTTP API. ${wire.description ?? ''}`.trim(),
    ...(body && { requestBody: { required: true, content: json(body) } }),
    responses: sortedByStatus(responses),
    ...(wire['x-personalize-operation'] && { 'x-personalize-operation': wire['x-personalize-operation'] }),
  };
}

/** Builds the document; pure, so tests and `npm start` see the same one. */
export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  const add = (path: string, method: string, operation: Operation) => {
    const item = paths[path] ?? {};
    const key = method.toLowerCase();
    const existing = item[key];
    item[key] = existing ? merged(existing, operation) : operation;
    paths[path] = item;
  };
  for (const route of API_ROUTE_LIST) add(route.path, route.method, apiOperation(route));
  for (const name of Object.keys(WIRE_ROUTES) as WireOperationName[]) {
    add(WIRE_ROUTES[name].path, 'POST', wireOperation(name));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Personalize toolkit API',
      version: '1.0.0',
      description:
        'Recommendations from Amazon Personalize with a local hybrid model as fallback. Every answer says which engine produced it (`source`). The local server (`npm start`) also answers the Personalize Runtime and Events operations, for AWS SDK and CLI clients.',
    },
    tags: [
      {
        name: OPEN_API_TAGS.api,
        description: 'The deployed API (API Gateway and the Lambdas), and `npm start`.',
      },
      {
        name: OPEN_API_TAGS.wire,
        description: 'Amazon Personalize operations on their service paths; local server only (`npm start`).',
      },
    ],
    paths,
    components: {
      schemas: Object.fromEntries(
        [...COMPONENTS].map(([schema, name]) => [name, jsonSchemaOf(schema, 'output', true)]),
      ),
    },
  };
}

/** The document `npm start` serves at `/openapi.json`. */
export const OPEN_API = buildOpenApi();
