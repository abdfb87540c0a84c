import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';
import { LocalRecommender } from '../../src/local/index.ts';
import { runScript } from '../helpers/run-script.ts';

const ROOT = join(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** Resolves with everything printed once `text` appears on stdout; rejects if the process ends first. */
function waitFor(child: ChildProcess, text: string): Promise<string> {
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(text)) resolve(out);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before "${text}": ${out}${err}`)));
  });
}

describe('cli train → npm start --model', () => {
  let dir: string;
  let model: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'train-'));
    await generateDataset({ outDir: join(dir, 'data'), interactions: 3000, seed: 7 });
    model = join(dir, 'model.bin');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the artifact that LocalRecommender.load and npm start --model serve', async () => {
    const trained = await runScript(
      'cli',
      'train',
      '--data',
      join(dir, 'data'),
      '--out',
      model,
      '--no-tune',
      '--quiet',
    );

    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    expect(trained.stdout).toContain(`serve it with: npm start -- --model ${model}`);
    expect((await stat(model)).size).toBeGreaterThan(0);
    const loaded = await LocalRecommender.load(model);
    const user = loaded.hybridModel.users.ids[0] ?? '';
    const answer = await loaded.getRecommendations({ userId: user, numResults: 3 });
    expect(answer.items).toHaveLength(3);

    const port = await freePort();
    const start = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/start.ts',
        '--model',
        model,
        '--port',
        String(port),
        '--quiet',
        '--state',
        join(dir, 'state'),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const banner = await waitFor(start, 'Serving model');
      // No filter is loaded with --model, so the banner offers no filter example that would answer 404.
      expect(banner).not.toContain('filter=');
      expect(banner).toContain('Filters: (none)');
      const response = await fetch(`http://127.0.0.1:${port}/recommendations?userId=${user}&numResults=3`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: { itemId: string }[] };
      expect(body.items.map((i) => i.itemId)).toEqual(answer.items.map((i) => i.itemId));
    } finally {
      const exited = new Promise((resolve) => start.once('exit', resolve));
      start.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a --data folder without interactions.csv with exit 3', async () => {
    const result = await runScript('cli', 'train', '--data', dir, '--out', join(dir, 'm.bin'));

    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/--data .* holds no interactions\.csv/);
  });
});
