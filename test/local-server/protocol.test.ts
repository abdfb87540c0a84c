import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalApi } from '../../lambdas/local/api.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { trainLocalRecommender } from '../../src/local/index.ts';
import { tempDir } from './helpers.ts';

let server: Server;
let base: string;
let port: number;
const lines: string[] = [];

beforeAll(async () => {
  const dir = tempDir();
  const { files } = await generateDataset({ outDir: dir, interactions: 2000, users: 80, items: 50, seed: 5 });
  const engine = await trainLocalRecommender(files, { training: { tune: false } });
  server = createLocalApi({
    engine,
    deadLetterFile: `${dir}/dead-letters.jsonl`,
    accessLog: (line) => lines.push(line),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Waits for the access log line of the request with this id (written once the response has finished). */
async function logLineOf(id: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const line = lines.find((l) => l.startsWith(`${id} `));
    if (line !== undefined) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no access log line for ${id}`);
}

/** Sends raw bytes on a new connection; resolves with the status, headers and body of the reply. */
async function rawExchange(
  bytes: Buffer,
): Promise<{ status: number; headers: Map<string, string>; body: string }> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(bytes);
  await new Promise((resolve) => socket.once('close', resolve));
  const text = Buffer.concat(chunks).toString('utf8');
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = new Map(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

describe('Local server: HTTP details', () => {
  it('answers HEAD like GET, without a body', async () => {
    const get = await fetch(`${base}/popular?numResults=3`);
    const head = await fetch(`${base}/popular?numResults=3`, { method: 'HEAD' });

    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('content-length')).toBe(String((await get.text()).length));
    expect(await head.text()).toBe('');
  });

  it('refuses a text/plain body with 415 and a request id, and accepts no content type', async () => {
    const body = JSON.stringify({ userId: 'u1', itemIds: ['i1'] });
    const text = await fetch(`${base}/rankings`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain' },
    });
    const json = (await text.json()) as { message: string; requestId: string };

    expect(text.status).toBe(415);
    expect(json.message).toMatch(/content-type text\/plain is not accepted: send JSON/);
    expect(text.headers.get('x-request-id')).toBe(json.requestId);
  });

  it.each([
    ['text/plain', '/rankings'],
    ['application/x-www-form-urlencoded', '/rankings'],
    ['text/plain', '/events'],
  ])(
    'refuses content-type %s on POST %s with 415 even without a body (no Content-Length)',
    async (type, path) => {
      const reply = await rawExchange(
        Buffer.from(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nConnection: close\r\n\r\n`),
      );

      expect(reply.status).toBe(415);
      expect((JSON.parse(reply.body) as { message: string }).message).toContain(`content-type ${type}`);
    },
  );

  it.each([
    [
      'raw UTF-8 in the URL',
      Buffer.concat([
        Buffer.from('GET /recommendations?userId='),
        Buffer.from('é', 'utf8'),
        Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n'),
      ]),
      400,
      /percent-encode/,
    ],
    [
      'headers over the size limit',
      Buffer.from(`GET /popular HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
      431,
      /headers over \d+ bytes/,
    ],
  ])(
    'answers a request Node cannot parse (%s) with a JSON error, a request id and CORS headers',
    async (_, bytes, status, message) => {
      const reply = await rawExchange(bytes);
      const body = JSON.parse(reply.body) as { message: string; requestId: string };

      expect(reply.status).toBe(status);
      expect(reply.headers.get('content-type')).toBe('application/json');
      expect(reply.headers.get('access-control-allow-origin')).toBe('*');
      expect(reply.headers.get('x-request-id')).toBe(body.requestId);
      expect(body.message).toMatch(message);
      expect(await logLineOf(body.requestId)).toMatch(new RegExp(`^${body.requestId} - - ${status} `));
    },
  );

  it('answers 413 with a request id in the body, the header and the access log', async () => {
    const reply = await fetch(`${base}/rankings`, {
      method: 'POST',
      body: 'x'.repeat(1024 * 1024 + 1),
      headers: { 'content-type': 'application/json', 'x-request-id': 'big-1' },
    });

    expect(reply.status).toBe(413);
    expect(reply.headers.get('x-request-id')).toBe('big-1');
    expect(await reply.json()).toMatchObject({ requestId: 'big-1' });
    expect(await logLineOf('big-1')).toMatch(/^big-1 POST \/rankings 413 \d+\.\dms$/);
  });

  it('writes one access log line per request: id, method, path, status, duration', async () => {
    const reply = await fetch(`${base}/popular?numResults=2`, { headers: { 'x-request-id': 'pop-1' } });
    await reply.text();

    expect(reply.headers.get('x-request-id')).toBe('pop-1');
    expect(await logLineOf('pop-1')).toMatch(/^pop-1 GET \/popular 200 \d+\.\dms$/);
    expect(lines.filter((l) => l.startsWith('pop-1 '))).toHaveLength(1);
  });

  it('logs one line and no stack when a client disconnects mid-body', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /rankings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nX-Request-Id: gone-1\r\n\r\n{"userId":',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();

    expect(await logLineOf('gone-1')).toBe('gone-1 POST /rankings client closed before its body was sent');
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});
