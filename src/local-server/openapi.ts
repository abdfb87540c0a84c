import { LIMITS } from '../recommender/limits.ts';

const idParam = (name: string, where: 'query' | 'path', required: boolean, description: string) => ({
  name,
  in: where,
  required,
  description,
  schema: { type: 'string', minLength: 1, maxLength: LIMITS.idLength },
});

const numResults = {
  name: 'numResults',
  in: 'query',
  required: false,
  description: `Items to return (default ${LIMITS.numResults.default}).`,
  schema: { type: 'integer', minimum: LIMITS.numResults.min, maximum: LIMITS.numResults.max },
};

const filterParams = [
  {
    name: 'filter',
    in: 'query',
    required: false,
    description: 'Name (or ARN) of a filter configured for the deployment.',
    schema: { type: 'string', maxLength: LIMITS.filterLength },
  },
  {
    name: 'filterValues',
    in: 'query',
    required: false,
    description: 'JSON object of placeholder values, Personalize encoding: {"CATEGORY":"\\"shoes\\""}.',
    schema: { type: 'string' },
  },
];

const contextParam = {
  name: 'context',
  in: 'query',
  required: false,
  description: 'JSON object of contextual metadata, e.g. {"DEVICE":"mobile"}.',
  schema: { type: 'string' },
};

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const recommendations = {
  description: 'Items, best first, and the engine that answered.',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Recommendations' } } },
};

const readErrors = {
  '400': error('Invalid input; `issues` names each bad field and its limit.'),
  '404': error('Unknown filter or route.'),
  '405': error('Method not allowed on this path.'),
};

/** OpenAPI 3.1 description of the HTTP API (served by `npm start` at /openapi.json). */
export const OPEN_API = {
  openapi: '3.1.0',
  info: {
    title: 'Personalize toolkit API',
    version: '1.0.0',
    description:
      'Recommendations from Amazon Personalize with a local hybrid model as fallback. Every answer says which engine produced it (`source`).',
  },
  paths: {
    '/recommendations': {
      get: {
        summary: 'Items for a user (User-Personalization)',
        parameters: [
          idParam('userId', 'query', true, 'The user.'),
          numResults,
          contextParam,
          ...filterParams,
        ],
        responses: { '200': recommendations, ...readErrors },
      },
    },
    '/items/{itemId}/similar': {
      get: {
        summary: 'Items similar to an item (SIMS)',
        parameters: [
          idParam('itemId', 'path', true, 'The item.'),
          idParam('userId', 'query', false, 'Needed only by filters that refer to the user.'),
          numResults,
          ...filterParams,
        ],
        responses: { '200': recommendations, ...readErrors },
      },
    },
    '/rankings': {
      post: {
        summary: 'Reorder items for a user (Personalized-Ranking)',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['userId', 'itemIds'],
                properties: {
                  userId: { type: 'string', minLength: 1, maxLength: LIMITS.idLength },
                  itemIds: {
                    type: 'array',
                    minItems: LIMITS.inputList.min,
                    maxItems: LIMITS.inputList.max,
                    items: { type: 'string', minLength: 1, maxLength: LIMITS.idLength },
                  },
                  context: { type: 'object', additionalProperties: { type: 'string' } },
                  filter: { type: 'string' },
                  filterValues: { type: 'object', additionalProperties: { type: 'string' } },
                },
              },
            },
          },
        },
        responses: { '200': recommendations, ...readErrors },
      },
    },
    '/popular': {
      get: {
        summary: 'Popular and trending items, optionally within a category (local model)',
        parameters: [
          { name: 'category', in: 'query', required: false, schema: { type: 'string', maxLength: 1000 } },
          numResults,
        ],
        responses: { '200': recommendations, ...readErrors },
      },
    },
    '/events': {
      post: {
        summary:
          "Record a session's events (split into PutEvents calls of 10, retried, dead-lettered on failure)",
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['sessionId', 'events'],
                properties: {
                  sessionId: { type: 'string', minLength: 1, maxLength: LIMITS.idLength },
                  userId: { type: 'string', minLength: 1, maxLength: LIMITS.idLength },
                  events: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/Event' } },
                },
              },
            },
          },
        },
        responses: {
          '200': { description: 'Every event was stored.' },
          '202': { description: 'Some events could not be stored now and were queued for replay.' },
          '400': error('Invalid input; `issues` names each bad field and its limit.'),
        },
      },
    },
  },
  components: {
    schemas: {
      Recommendations: {
        type: 'object',
        required: ['items', 'recommendationId', 'source'],
        properties: {
          items: {
            type: 'array',
            items: {
              type: 'object',
              required: ['itemId'],
              properties: {
                itemId: { type: 'string' },
                score: { type: 'number' },
                metadata: { type: 'object', additionalProperties: { type: 'string' } },
              },
            },
          },
          recommendationId: { type: 'string', maxLength: LIMITS.recommendationIdLength },
          source: { type: 'string', enum: ['personalize', 'local', 'popularity'] },
          requestId: { type: 'string' },
        },
      },
      Event: {
        type: 'object',
        required: ['eventType', 'sentAt'],
        properties: {
          eventId: { type: 'string', maxLength: LIMITS.idLength },
          eventType: { type: 'string', minLength: 1, maxLength: LIMITS.idLength },
          eventValue: { type: 'number' },
          itemId: { type: 'string', maxLength: LIMITS.idLength },
          sentAt: { type: 'number', description: 'Unix epoch seconds (milliseconds are rejected).' },
          properties: { type: 'object' },
          recommendationId: { type: 'string', maxLength: LIMITS.recommendationIdLength },
          impression: { type: 'array', maxItems: LIMITS.impression.max, items: { type: 'string' } },
        },
      },
      Error: {
        type: 'object',
        required: ['message'],
        properties: {
          message: { type: 'string' },
          requestId: { type: 'string' },
          issues: {
            type: 'array',
            items: {
              type: 'object',
              properties: { field: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
  },
} as const;
