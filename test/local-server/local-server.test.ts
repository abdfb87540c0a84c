import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalApi } from '../../lambdas/local/api.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { type LocalRecommender, trainLocalRecommender } from '../../src/local/index.ts';
import { createLocalServer } from '../../src/local-server/local-server.ts';
import { OPEN_API } from '../../src/local-server/openapi.ts';
import { DEFAULT_WIRE_CONFIG, wireArns } from '../../src/personalize-wire/index.ts';
import { tempDir } from './helpers.ts';

const arns = wireArns(DEFAULT_WIRE_CONFIG);
let server: Server;
let base: string;
let engine: LocalRecommender;

beforeAll(async () => {
  const dir = tempDir();
  const { files } = await generateDataset({
    outDir: dir,
    interactions: 3000,
    users: 120,
    items: 80,
    seed: 7,
  });
  engine = await trainLocalRecommender(files, {
    filters: [{ name: 'by-category', expression: 'INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)' }],
    training: { tune: false },
  });
  server = createLocalApi({ engine, deadLetterFile: `${dir}/dead-letters.jsonl` });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const knownUser = () => engine.hybridModel.users.ids[0]!;
const knownItem = () => engine.hybridModel.items.ids[0]!;

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

describe('Local server: the app API through the Lambda handlers', () => {
  it('serves the OpenAPI description at / and /openapi.json', async () => {
    // Act
    const root = await call('GET', '/');
    const doc = await call('GET', '/openapi.json');

    // Assess
    expect(root.status).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toEqual(
      expect.arrayContaining([
        '/recommendations',
        '/items/{itemId}/similar',
        '/rankings',
        '/popular',
        '/events',
      ]),
    );
    expect(doc.json).toEqual(OPEN_API);
  });

  it("lists the model's users by prefix and a user's history, newest first, with live events on top", async () => {
    // Prepare
    const user = knownUser();
    const item = knownItem();

    // Act
    const users = await call('GET', `/users?prefix=${user}&numResults=3`);
    const before = await call('GET', `/users/${user}/history?numResults=50&metadataColumns=CATEGORY`);
    const sent = await call('POST', '/events', {
      sessionId: 'history-test',
      userId: user,
      events: [{ eventType: 'purchase', itemId: item, sentAt: 1_900_000_000 }],
    });
    const after = await call('GET', `/users/${user}/history?numResults=2`);

    // Assess
    expect(users.status).toBe(200);
    expect(users.json.userIds[0]).toBe(user);
    for (const id of users.json.userIds) expect(id.startsWith(user)).toBe(true);
    expect(before.status).toBe(200);
    expect(before.json.items.length).toBe(Math.min(50, engine.hybridModel.userHistory(0).items.length));
    const times = before.json.items.map((entry: { timestamp: number }) => entry.timestamp);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(before.json.items[0].metadata.CATEGORY).toEqual(expect.any(String));
    expect(sent.status).toBe(200);
    expect(after.json.items[0]).toEqual({ itemId: item, eventType: 'purchase', timestamp: 1_900_000_000 });
    expect((await call('GET', '/users?numResults=0')).status).toBe(400);
  });

  it('serves the explorer page at / to a browser, and only its own files', async () => {
    // Act
    const page = await fetch(`${base}/`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    const script = await fetch(`${base}/explorer/explorer.js`);
    const other = await fetch(`${base}/explorer/../local-server.ts`);

    // Assess
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>Recommendation explorer</title>');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain("api('POST', '/events'");
    expect(other.status).toBe(404);
  });

  it('answers recommendations from the local engine with a request id', async () => {
    const { status, json, headers } = await call(
      'GET',
      `/recommendations?userId=${knownUser()}&numResults=5`,
    );

    expect(status).toBe(200);
    expect(json.source).toBe('local');
    expect(json.items).toHaveLength(5);
    expect(json.requestId).toEqual(expect.any(String));
    expect(headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers 400 naming the field for bad input, 404 for unknown routes and 405 for wrong methods', async () => {
    const bad = await call('GET', '/recommendations?userId=u&numResults=501');
    const unknown = await call('GET', '/nowhere');
    const wrongMethod = await call('DELETE', '/recommendations?userId=u');

    expect(bad.status).toBe(400);
    expect(bad.json.issues).toEqual([expect.objectContaining({ field: 'numResults' })]);
    expect(unknown.status).toBe(404);
    expect(wrongMethod.status).toBe(405);
  });

  it("holds a user's history to the recommendations' limits with metadata", async () => {
    const path = `/users/${knownUser()}/history`;
    const columns = Array.from({ length: 11 }, (_, i) => `C${i}`).join(',');

    const tooMany = await call('GET', `${path}?numResults=51&metadataColumns=CATEGORY`);
    const tooManyColumns = await call('GET', `${path}?metadataColumns=${columns}`);
    const sameOnRecommendations = await call(
      'GET',
      `/recommendations?userId=${knownUser()}&numResults=51&metadataColumns=CATEGORY`,
    );

    expect(tooMany.status).toBe(400);
    expect(tooMany.json.issues).toEqual([
      { field: 'numResults', message: 'must be at most 50 when metadataColumns is set' },
    ]);
    expect(sameOnRecommendations.json.issues).toEqual(tooMany.json.issues);
    expect(tooManyColumns.status).toBe(400);
    expect(tooManyColumns.json.issues).toEqual([
      { field: 'metadataColumns', message: 'must list at most 10 columns' },
    ]);
  });

  it('names the field and the limit for an over-long prefix', async () => {
    const { status, json } = await call('GET', `/users?prefix=${'a'.repeat(257)}`);

    expect(status).toBe(400);
    expect(json.issues).toEqual([{ field: 'prefix', message: 'must be 0 to 256 characters' }]);
  });

  it.each([
    '/recommendations?userId=u&numResults=',
    '/users?numResults=',
    '/users/u/history?numResults=',
    '/items/i/similar?numResults=',
    '/popular?numResults=',
  ])('answers numResults out of range on %s with the range, however many digits', async (path) => {
    for (const value of ['9999999999', '9'.repeat(30), '-9999999999']) {
      const { status, json } = await call('GET', `${path}${value}`);

      expect(status).toBe(400);
      expect(json.issues).toEqual([{ field: 'numResults', message: 'must be 1 to 500' }]);
    }
  });

  it.each([
    ['PUT', '/', 'GET, HEAD'],
    ['DELETE', '/', 'GET, HEAD'],
    ['POST', '/', 'GET, HEAD'],
    ['POST', '/openapi.json', 'GET, HEAD'],
    ['POST', '/explorer/explorer.js', 'GET, HEAD'],
    ['GET', '/items', 'POST'],
    ['GET', '/personalize-ranking', 'POST'],
    ['DELETE', '/recommendations', 'GET, HEAD, OPTIONS, POST'],
    ['PUT', '/users', 'GET, HEAD, OPTIONS, POST'],
    ['DELETE', '/items/i1/similar', 'GET, HEAD, OPTIONS'],
  ])('answers %s %s with 405, a JSON body and Allow: %s', async (method, path, allow) => {
    const { status, headers, json } = await call(method, path);

    expect(status).toBe(405);
    expect(headers.get('allow')).toBe(allow);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    expect(json).toEqual({ message: `${method} is not allowed here`, requestId: expect.any(String) });
  });

  it('answers 404 only for a path nothing serves', async () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const { status, json } = await call(method, '/nowhere/at/all');

      expect(status).toBe(404);
      expect(json.message).toBe('no route for /nowhere/at/all');
    }
  });

  describe('filterValues must fill placeholders of the filter', () => {
    const values = (entries: Record<string, string>) => encodeURIComponent(JSON.stringify(entries));
    const requests = (selection: { filter?: string; filterValues: Record<string, string> }) => [
      call(
        'GET',
        `/recommendations?userId=${knownUser()}&filterValues=${values(selection.filterValues)}${selection.filter ? `&filter=${selection.filter}` : ''}`,
      ),
      call(
        'GET',
        `/items/${knownItem()}/similar?filterValues=${values(selection.filterValues)}${selection.filter ? `&filter=${selection.filter}` : ''}`,
      ),
      call('POST', '/rankings', { userId: knownUser(), itemIds: [knownItem()], ...selection }),
    ];

    it('refuses filterValues without a filter, naming the keys', async () => {
      for (const reply of await Promise.all(requests({ filterValues: { X: '"a"' } }))) {
        expect(reply.status).toBe(400);
        expect(reply.json.issues).toEqual([
          {
            field: 'filterValues',
            message: expect.stringMatching(/need a filter expression that uses them.*\bX\b/),
          },
        ]);
      }
    });

    it('refuses keys the filter expression does not use, naming them', async () => {
      const category = engine.categoryOf(knownItem()) ?? 'none';
      const filterValues = { CATEGORY: `"${category}"`, EXTRA: '"x"' };
      for (const reply of await Promise.all(requests({ filter: 'by-category', filterValues }))) {
        expect(reply.status).toBe(400);
        expect(reply.json.issues).toEqual([
          {
            field: 'filterValues.EXTRA',
            message: 'fills no placeholder of the filter expression (placeholders: $CATEGORY)',
          },
        ]);
      }
    });

    it('accepts values for exactly the placeholders the filter uses', async () => {
      const category = engine.categoryOf(knownItem()) ?? 'none';
      const filterValues = { CATEGORY: `"${category}"` };
      for (const reply of await Promise.all(requests({ filter: 'by-category', filterValues }))) {
        expect(reply.status).toBe(200);
      }
    });
  });

  it('serves similar items, rankings and popular items', async () => {
    const similar = await call('GET', `/items/${knownItem()}/similar?numResults=3`);
    const ranking = await call('POST', '/rankings', {
      userId: knownUser(),
      itemIds: [knownItem(), 'unknown-item'],
    });
    const popular = await call('GET', '/popular?numResults=4');

    expect(similar.status).toBe(200);
    expect(similar.json.items.map((i: { itemId: string }) => i.itemId)).not.toContain(knownItem());
    expect(ranking.status).toBe(200);
    expect(ranking.json.items.at(-1)).toEqual({ itemId: 'unknown-item' });
    expect(popular.json.items).toHaveLength(4);
  });

  it('stores events posted to /events, and they change the next answer', async () => {
    // Prepare: an anonymous session has no history, so it gets popular items
    const before = await call('GET', '/recommendations?userId=fresh-user&numResults=10');
    const item = before.json.items[9].itemId as string;

    // Act
    const posted = await call('POST', '/events', {
      sessionId: 'session-1',
      userId: 'fresh-user',
      events: [1, 2, 3].map((n) => ({ eventType: 'purchase', itemId: item, sentAt: 1_700_000_000 + n })),
    });
    const after = await call('GET', '/recommendations?userId=fresh-user&numResults=10');

    // Assess
    expect(posted.status).toBe(200);
    expect(posted.json).toMatchObject({ stored: 3, deadLettered: 0, lost: 0 });
    expect(after.json.items).not.toEqual(before.json.items);
  });

  it('answers 413 for bodies over the size limit', async () => {
    const { status } = await call('POST', '/rankings', 'x'.repeat(1024 * 1024 + 1));
    expect(status).toBe(413);
  });

  it('reads a chunked body (no Content-Length) as the request body', async () => {
    const payload = JSON.stringify({ userId: knownUser(), itemIds: [knownItem(), 'unknown-item'] });
    const reply = await new Promise<{ status: number; json: { items: unknown[] } }>((resolve, reject) => {
      const request = httpRequest(`${base}/rankings`, { method: 'POST' }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }));
      });
      request.on('error', reject);
      // Two writes and no Content-Length: Node sends the body with Transfer-Encoding: chunked.
      request.write(payload.slice(0, 10));
      request.end(payload.slice(10));
    });
    expect(reply.status).toBe(200);
    expect(reply.json.items).toHaveLength(2);
  });
});

describe('Local server: the Personalize-compatible endpoint', () => {
  it('replies with the service error envelope the SDK parses', async () => {
    const { status, headers, json } = await call('POST', '/recommendations', '{not json');

    expect(status).toBe(400);
    expect(headers.get('x-amzn-errortype')).toBe('InvalidInputException');
    expect(headers.get('x-amzn-requestid')).toEqual(expect.any(String));
    expect(json).toEqual({ __type: 'InvalidInputException', message: expect.stringContaining('JSON') });
  });

  it('answers ResourceNotFoundException for an unknown campaign', async () => {
    const { status, headers } = await call('POST', '/recommendations', {
      campaignArn: 'arn:aws:personalize:eu-west-1:123456789012:campaign/missing',
      userId: 'u',
    });

    expect(status).toBe(404);
    expect(headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
  });

  it.each([
    [
      'both campaignArn and recommenderArn',
      {
        campaignArn: arns.userPersonalizationCampaign,
        recommenderArn: 'arn:aws:personalize:us-east-1:1:recommender/x',
        userId: 'u',
      },
      'campaignArn',
    ],
    [
      'a ranking campaign on GetRecommendations',
      { campaignArn: arns.personalizedRankingCampaign, userId: 'u' },
      'campaignArn',
    ],
    [
      'promotions, which the local engine does not run',
      { campaignArn: arns.userPersonalizationCampaign, userId: 'u', promotions: [{ name: 'p' }] },
      'promotions',
    ],
    [
      'metadataColumns with a key other than ITEMS',
      { campaignArn: arns.userPersonalizationCampaign, userId: 'u', metadataColumns: { USERS: ['A'] } },
      'metadataColumns',
    ],
  ])('rejects %s with InvalidInputException naming the member', async (_, body, member) => {
    const { status, json } = await call('POST', '/recommendations', body);

    expect(status).toBe(400);
    expect(json.message).toContain(member);
  });

  it('rejects PutEvents with an unknown trackingId or unparsable properties', async () => {
    const event = { eventType: 'click', itemId: knownItem(), sentAt: 1_700_000_000 };
    const unknownTracker = await call('POST', '/events', {
      trackingId: 'other',
      sessionId: 's',
      eventList: [event],
    });
    const badProperties = await call('POST', '/events', {
      trackingId: DEFAULT_WIRE_CONFIG.trackingId,
      sessionId: 's',
      eventList: [{ ...event, properties: '{oops' }],
    });

    expect(unknownTracker.status).toBe(400);
    expect(unknownTracker.json.message).toContain('trackingId');
    expect(badProperties.status).toBe(400);
    expect(badProperties.json.message).toContain('Error parsing properties json');
  });

  it('takes PutItems only on the Items dataset ARN', async () => {
    const wrong = await call('POST', '/items', {
      datasetArn: arns.usersDataset,
      items: [{ itemId: 'new-item' }],
    });
    const right = await call('POST', '/items', {
      datasetArn: arns.itemsDataset,
      items: [{ itemId: 'new-item', properties: JSON.stringify({ category: 'books', price: 12.5 }) }],
    });

    const ranked = await call('POST', '/personalize-ranking', {
      campaignArn: arns.personalizedRankingCampaign,
      userId: knownUser(),
      inputList: ['new-item', knownItem()],
    });

    expect(wrong.status).toBe(404);
    expect(right.status).toBe(200);
    expect(ranked.json.personalizedRanking.map((i: { itemId: string }) => i.itemId).sort()).toEqual(
      ['new-item', knownItem()].sort(),
    );
  });
});

describe('Local server: hostile query strings', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'treats the query key %s as data and answers 4xx, never 500',
    async (key) => {
      const { status } = await call('GET', `/recommendations?${key}=1&${key}=2`);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    },
  );
});

describe('Local server: POST / with the control plane', () => {
  it('sends POST / to the control plane even without X-Amz-Target, and lists POST in Allow', async () => {
    // Prepare: a server whose control plane echoes the target it was given
    const targets: (string | undefined)[] = [];
    const unused = () => Promise.reject(new Error('no Lambda serves /'));
    const withPlane = createLocalServer({
      handlers: { recommend: unused, events: unused },
      wireRecommender: engine,
      openApi: OPEN_API,
      controlPlane: async (target) => {
        targets.push(target);
        return { status: 400, headers: { 'content-type': 'application/json' }, body: '{"__type":"x"}' };
      },
    });
    await new Promise<void>((resolve) => withPlane.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(withPlane.address() as AddressInfo).port}/`;

    // Act
    const post = await fetch(url, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/x-amz-json-1.1' },
    });
    const put = await fetch(url, { method: 'PUT' });
    await new Promise((resolve) => withPlane.close(resolve));

    // Assess
    expect(post.status).toBe(400);
    expect(targets).toEqual([undefined]);
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
  });
});
