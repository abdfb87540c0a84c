import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../helpers/run-script.ts';

const root = mkdtempSync(join(tmpdir(), 'generate-data-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const cli = (...args: string[]) => runScript('generate-data', ...args);

describe('CLI: generate-data', () => {
  it('writes the three files and prints a summary', async () => {
    const out = join(root, 'ok');
    const { code, stdout } = await cli(
      '--out',
      out,
      '--interactions',
      '2000',
      '--users',
      '100',
      '--seed',
      '3',
    );

    expect(code).toBe(0);
    expect(stdout).toContain('100 users');
    expect(stdout).toContain('40 items');
    expect(stdout).toMatch(/2000 interactions \(\d+ view, \d+ click, \d+ purchase\)/);
    expect(readFileSync(join(out, 'interactions.csv'), 'utf8').trim().split('\n')).toHaveLength(2001);
  });

  it('exits 2 (invalid input) naming each flag out of range', async () => {
    const { code, stderr } = await cli('--out', join(root, 'bad'), '--interactions', '0', '--items', '1');

    expect(code).toBe(2);
    expect(stderr).toContain('--interactions: must be an integer from 1 to 100000000 (got 0)');
    expect(stderr).toContain('--items: must be an integer from 2 to 5000000 (got 1)');
  });

  it('rejects a flag that is not an integer, and a missing --out', async () => {
    const notInteger = await cli('--out', join(root, 'bad'), '--interactions', '1e3x');
    const noOut = await cli('--interactions', '10');

    expect(notInteger.code).toBe(2);
    expect(notInteger.stderr).toContain(
      "'--interactions <n>' argument '1e3x' is invalid. must be an integer",
    );
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("required option '--out <dir>' not specified");
  });
});
