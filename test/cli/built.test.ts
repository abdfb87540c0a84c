import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** Whether anything still accepts connections on the port. */
async function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/popular`).then(
    () => true,
    () => false,
  );
}

// The shipped JavaScript (`npm run build`, run by `prepare` on `npm ci`): what `bin`, `npm run cli` and
// `npm start` execute.
describe('The built commands in dist/', () => {
  let dir: string;
  beforeAll(async () => {
    await run('npm', ['run', '-s', 'build'], { cwd: ROOT });
    dir = await mkdtemp(join(tmpdir(), 'built-'));
    await generateDataset({ outDir: join(dir, 'data'), interactions: 3000, seed: 3 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the bin, npm run cli and npm start point at the built files', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.bin['personalize-toolkit']).toBe('dist/cli.js');
    expect(pkg.scripts.cli).toBe('node dist/cli.js');
    expect(pkg.scripts.start).toBe('node dist/start.js');
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(readFileSync(join(ROOT, 'dist/cli.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('trains, runs batch-local and export on worker threads from the bundle', async () => {
    const cli = join(ROOT, 'dist/cli.js');
    const model = join(dir, 'model.bin');
    await run(process.execPath, [
      cli,
      'train',
      '--data',
      join(dir, 'data'),
      '--out',
      model,
      '--no-tune',
      '--quiet',
    ]);
    const out = join(dir, 'local.jsonl');
    await run(process.execPath, [
      cli,
      'batch-local',
      '--model',
      model,
      '--output',
      out,
      '--threads',
      '2',
      '--quiet',
    ]);
    const csv = join(dir, 'local.csv');
    const exported = await run(process.execPath, [
      cli,
      'export',
      '--input',
      out,
      '--output',
      csv,
      '--threads',
      '2',
      '--quiet',
    ]);

    expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(150);
    expect(exported.stdout).toMatch(/^150 lines → 3750 rows/);
  });

  it('npm start stops, with no orphan server, when npm itself gets SIGTERM', async () => {
    const port = await freePort();
    const npm = spawn(
      'npm',
      [
        'start',
        '--',
        '--interactions',
        '3000',
        '--no-tune',
        '--quiet',
        '--port',
        String(port),
        '--state',
        join(dir, 'state'),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    await new Promise<void>((resolve, reject) => {
      npm.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ctrl-C stops')) resolve();
      });
      npm.once('exit', (code) => reject(new Error(`npm start exited ${code}: ${out}`)));
    });
    // The demo loads the demo filters, so the banner's filter example names one of them.
    expect(out).toContain('filter=exclude-purchased');
    expect(await answers(port)).toBe(true);

    const exited = new Promise((resolve) => npm.once('exit', resolve));
    npm.kill('SIGTERM');
    await exited;
    // The server process may take a moment after npm is gone; it must not stay.
    let alive = true;
    for (let attempt = 0; attempt < 50 && alive; attempt++) {
      alive = await answers(port);
      if (alive) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(alive).toBe(false);
  });
});
