import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { API_ROUTE_LIST, pathParamNames } from '../../src/api/routes.ts';
import { toJsonSchema } from '../../src/local-server/json-schema.ts';
import { buildOpenApi, OPEN_API_TAGS } from '../../src/local-server/openapi.ts';
import { WIRE_ONLY_MEMBERS } from '../../src/local-server/shared-paths.ts';
import {
  DEFAULT_WIRE_CONFIG,
  handleWireRequest,
  WIRE_ROUTES,
  type WireOperationName,
  wireArns,
} from '../../src/personalize-wire/index.ts';
import { FakeLocalEngine } from '../serving/fake-local-engine.ts';

interface Parameter {
  name: string;
  in: string;
  required: boolean;
}
interface Operation {
  operationId: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  'x-personalize-operation'?: string;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const doc = buildOpenApi() as unknown as Document;
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
);
const WIRE_NAMES = Object.keys(WIRE_ROUTES) as WireOperationName[];

/** Every `$ref` anywhere in a value. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, member]) =>
    key === '$ref' && typeof member === 'string' ? [member] : refsIn(member),
  );
}

const schemaOf = (operation: Operation, status: string) =>
  operation.responses[status]?.content?.['application/json']?.schema;

describe('OpenAPI document (generated from the route manifest)', () => {
  it('has exactly the manifest routes and the Personalize-compatible operations', () => {
    const expected = new Set([
      ...API_ROUTE_LIST.map((route) => `${route.method} ${route.path}`),
      ...WIRE_NAMES.map((name) => `POST ${WIRE_ROUTES[name].path}`),
    ]);
    expect(new Set(operations.map(({ method, path }) => `${method} ${path}`))).toEqual(expected);
  });

  it('tags each manifest route as the HTTP API under its route id', () => {
    for (const route of API_ROUTE_LIST) {
      const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation?.operationId).toBe(route.id);
      expect(operation?.tags).toContain(OPEN_API_TAGS.api);
      expect(operation?.requestBody !== undefined, route.id).toBe(route.body !== undefined);
    }
  });

  it('has every Personalize-compatible operation, on its service path, under its own tag', () => {
    for (const name of WIRE_NAMES) {
      const operation = doc.paths[WIRE_ROUTES[name].path]?.post;
      expect(operation?.['x-personalize-operation'], name).toBe(name);
      expect(operation?.tags).toContain(OPEN_API_TAGS.wire);
      expect(operation?.requestBody, name).toBeDefined();
    }
    expect(doc.paths['/recommendations']?.post?.operationId).toBe('GetRecommendations');
  });

  it('declares every path parameter as a required path parameter, and no other', () => {
    for (const { path, operation } of operations) {
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), path).toEqual(pathParamNames(path).sort());
      expect(declared.every((p) => p.required)).toBe(true);
    }
  });

  it('marks the required query parameters', () => {
    const userId = doc.paths['/recommendations']?.get?.parameters?.find((p) => p.name === 'userId');
    expect(userId).toMatchObject({ in: 'query', required: true });
    const optional = doc.paths['/items/{itemId}/similar']?.get?.parameters?.find((p) => p.name === 'userId');
    expect(optional).toMatchObject({ in: 'query', required: false });
  });

  it('gives every operation a 200 and a 400 with an error schema', () => {
    const errorRefs = ['#/components/schemas/Error', '#/components/schemas/PersonalizeError'];
    for (const { method, path, operation } of operations) {
      expect(schemaOf(operation, '200'), `${method} ${path}`).toBeDefined();
      const refs = refsIn(schemaOf(operation, '400'));
      expect(refs.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const ref of refs) expect(errorRefs).toContain(ref);
    }
  });

  it("describes no member JSON cannot carry (the contract's Date form of sentAt is left out)", () => {
    expect(JSON.stringify(doc)).not.toContain('"not":{}');
    const sentAt = JSON.stringify(doc.paths['/events']?.post?.requestBody).match(/"sentAt":\{[^}]*\}/g);
    expect(sentAt?.every((schema) => schema.includes('"type":"number"'))).toBe(true);
  });

  it('refuses to describe a schema JSON cannot express rather than leave it blank', () => {
    expect(() => toJsonSchema(z.object({ n: z.bigint() }), 'input')).toThrow(/bigint/);
    expect(toJsonSchema(z.union([z.date(), z.number()]), 'input')).toEqual({ type: 'number' });
  });

  it('resolves every reference and has unique operation ids', () => {
    for (const ref of refsIn(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.split('/').pop() ?? '']).toBeDefined();
    }
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('takes either body on POST /events, which both the HTTP API and PutEvents serve', () => {
    const events = doc.paths['/events']?.post;
    const body = events?.requestBody?.content['application/json']?.schema as { oneOf?: unknown[] };
    expect(body.oneOf).toHaveLength(2);
    expect(events?.tags).toEqual([OPEN_API_TAGS.api, OPEN_API_TAGS.wire]);
  });
});

describe('Personalize-compatible schemas', () => {
  const arns = wireArns(DEFAULT_WIRE_CONFIG);
  const samples: Record<WireOperationName, Record<string, unknown>> = {
    GetRecommendations: {
      campaignArn: arns.userPersonalizationCampaign,
      userId: 'u1',
      numResults: 3,
      context: { DEVICE: 'phone' },
      metadataColumns: { ITEMS: ['GENRES'] },
    },
    GetPersonalizedRanking: {
      campaignArn: arns.personalizedRankingCampaign,
      userId: 'u1',
      inputList: ['i1', 'i2'],
    },
    PutEvents: {
      trackingId: DEFAULT_WIRE_CONFIG.trackingId,
      sessionId: 's1',
      userId: 'u1',
      eventList: [
        {
          eventType: 'click',
          sentAt: 1_700_000_000.123,
          itemId: 'i1',
          properties: '{"numberOfRatings":"12"}',
          impression: ['i1', 'i2'],
          metricAttribution: { eventAttributionSource: 'email' },
        },
      ],
    },
    PutItems: { datasetArn: arns.itemsDataset, items: [{ itemId: 'i1', properties: '{"genres":"a"}' }] },
    PutUsers: { datasetArn: arns.usersDataset, users: [{ userId: 'u1' }] },
  };

  it.each(WIRE_NAMES)(
    '%s: a request its schema accepts is answered 200 with the described body',
    async (name) => {
      const route = WIRE_ROUTES[name];
      const body = samples[name];
      expect(route.request.safeParse(body).error).toBeUndefined();
      const reply = await handleWireRequest(new FakeLocalEngine(), route.path, JSON.stringify(body));
      expect(reply.status, reply.body).toBe(200);
      expect(route.response.safeParse(JSON.parse(reply.body)).error).toBeUndefined();
    },
  );

  it('tells PutEvents from the HTTP API on POST /events by the members only PutEvents has', () => {
    expect(WIRE_ONLY_MEMBERS).toEqual({ PutEvents: ['trackingId', 'eventList'] });
  });

  it('rejects what the operations reject: an unknown member and a missing required one', () => {
    expect(WIRE_ROUTES.GetRecommendations.request.safeParse({ promotions: [] }).success).toBe(false);
    expect(WIRE_ROUTES.PutEvents.request.safeParse({ sessionId: 's1', eventList: [] }).success).toBe(false);
  });
});
