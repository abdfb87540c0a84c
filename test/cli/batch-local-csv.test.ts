import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { runScript } from '../helpers/run-script.ts';

let dir: string;
let usersFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-csv-'));
  const { files } = await generateDataset({ outDir: dir, interactions: 2000, users: 60, items: 40, seed: 5 });
  // Personalize's own escaping (§3.4): a quote inside a quoted value written as \", a backslash as \\.
  const [header, ...rows] = (await readFile(files.users, 'utf8')).trimEnd().split('\n');
  const escaped = rows.map((row, i) =>
    i % 2 === 0 ? `${row.slice(0, row.lastIndexOf(','))},"North \\"East\\", C:\\\\"` : row,
  );
  usersFile = files.users;
  await writeFile(usersFile, `${[header, ...escaped].join('\n')}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a users file with backslash-escaped quotes', () => {
  it('passes validate-data without CSV findings', async () => {
    const { code, stdout } = await runScript('validate-data', '--users', usersFile, '--json');
    expect(code).toBe(EXIT_CODES.ok);
    const report = JSON.parse(stdout) as { rules: { rule: string }[] };
    expect(report.rules.map((r) => r.rule)).not.toContain('csv-syntax');
  });

  it('trains batch-local on it and answers each of its users, in file order', async () => {
    const output = join(dir, 'local.jsonl');
    const { code, stderr } = await runScript(
      'cli',
      'batch-local',
      '--data',
      dir,
      '--users',
      usersFile,
      '--num-results',
      '3',
      '--threads',
      '0',
      '--output',
      output,
      '--quiet',
    );
    expect(stderr).toBe('');
    expect(code).toBe(EXIT_CODES.ok);
    const users = (await readFile(usersFile, 'utf8'))
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((row) => row.slice(0, row.indexOf(',')));
    const answered = (await readFile(output, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { input: { userId: string } }).input.userId);
    expect(answered).toEqual(users);
  });
});
