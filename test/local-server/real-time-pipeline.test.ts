import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalApi, type LocalApi } from '../../lambdas/local/api.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { eventLogToInteractions } from '../../src/event-log/index.ts';
import { type LocalRecommender, trainLocalRecommender } from '../../src/local/index.ts';
import { tempDir } from './helpers.ts';

let server: LocalApi;
let base: string;
let engine: LocalRecommender;
let eventLogDir: string;

beforeAll(async () => {
  const dir = tempDir();
  const { files } = await generateDataset({
    outDir: dir,
    interactions: 8000,
    users: 400,
    items: 200,
    seed: 11,
  });
  engine = await trainLocalRecommender(files, { training: { tune: false } });
  eventLogDir = join(dir, 'event-log');
  server = createLocalApi({ engine, deadLetterFile: join(dir, 'dead-letters.jsonl'), eventLogDir });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(() => (server.listening ? server.shutdown() : undefined));

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('npm start: POST /events through the in-process pipeline', () => {
  it('a new user browsing three items of one category shows them, the category count and the session', async () => {
    // Prepare: three items sharing a category.
    const byCategory = new Map<string, string[]>();
    for (const itemId of engine.hybridModel.items.ids) {
      const category = engine.categoryOf(itemId);
      if (category !== undefined) byCategory.set(category, [...(byCategory.get(category) ?? []), itemId]);
    }
    const [category, items] = [...byCategory].find(([, ids]) => ids.length >= 3)!;
    const three = items.slice(0, 3);
    const at = nowSeconds();

    // Act
    const posted = await call('POST', '/events', {
      sessionId: 'fresh-session',
      userId: 'fresh-user',
      events: three.map((itemId, i) => ({ eventType: 'click', itemId, sentAt: at - 3 + i })),
    });
    const read = await call(
      'GET',
      '/users/fresh-user/features?features=recent_items,category_counts_1h,session_id,session_items,session_length,session_start',
    );

    // Assess
    expect(posted.status).toBe(200);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({
      id: 'fresh-user',
      status: 'FOUND',
      features: {
        recent_items: [...three].reverse(),
        category_counts_1h: { [category]: 3 },
        session_id: 'fresh-session',
        session_items: [...three].reverse(),
        session_length: 3,
        session_start: at - 3,
      },
    });
  });

  it('500 fresh purchases of the item ranked 100th put it in GET /popular top 10; the event log keeps them', async () => {
    // Prepare
    const hundredth = (await engine.getPopular({ numResults: 100 })).items[99]!.itemId;
    const topTen = async () =>
      ((await call('GET', '/popular?numResults=10')).json.items as { itemId: string }[]).map((i) => i.itemId);
    expect(await topTen()).not.toContain(hundredth);
    const at = nowSeconds();

    // Act: five sessions of 100 purchases each (the most one request may carry).
    for (let u = 0; u < 5; u++) {
      const reply = await call('POST', '/events', {
        sessionId: `burst-s${u}`,
        userId: `burst-u${u}`,
        events: Array.from({ length: 100 }, (_, i) => ({
          eventType: 'purchase',
          itemId: hundredth,
          sentAt: at - i,
        })),
      });
      expect(reply.status).toBe(200);
    }

    // Assess
    expect(await topTen()).toContain(hundredth);
    const item = await call('GET', `/items/${hundredth}/features?features=event_counts_1h`);
    expect(item.json.features).toEqual({ event_counts_1h: { purchase: 500 } });
    await server.shutdown();
    const report = await eventLogToInteractions({
      dir: eventLogDir,
      from: at - 3600,
      to: at + 60,
      out: join(eventLogDir, '..', 'interactions.csv'),
    });
    expect(report.written).toBe(503);
  });
});
