import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOutputErrors, reportOutputErrors } from '../../src/batch/jobs/output-errors.ts';
import { InvalidInputError } from '../../src/errors.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'output-errors-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function count(text: string) {
  const path = join(dir, 'out.jsonl.out');
  await writeFile(path, text);
  return countOutputErrors(path);
}

describe('countOutputErrors', () => {
  it('counts lines whose top-level error is set, not a quoted "error" inside a value, nor blank lines', async () => {
    const result = await count(
      [
        '{"input":{"userId":"said \\"error\\": boom"},"output":{"recommendedItems":["i1"]},"error":null}',
        '',
        '{"input":{"userId":"u2"},"output":null,"error":{"code":"X"}}',
        '{not json "error"',
        '{"input":{"userId":"u4"},"output":null,"error":"second"}\r',
      ].join('\n'),
    );
    expect(result).toEqual({ lines: 4, errors: 2, first: { line: 2, message: '{"code":"X"}' } });
  });
});

describe('reportOutputErrors', () => {
  const warnings: string[] = [];
  const warn = (line: string) => warnings.push(line);

  it('warns with the count and the first error when some lines failed, says nothing when none did', () => {
    reportOutputErrors('o', { lines: 3, errors: 0 }, warn);
    reportOutputErrors('o', { lines: 3, errors: 1, first: { line: 2, message: 'bad' } }, warn);
    expect(warnings).toEqual(['1 of 3 output lines carry an error; the first, line 2: bad\n']);
  });

  it('throws InvalidInputError when every line failed', () => {
    expect(() =>
      reportOutputErrors('o', { lines: 2, errors: 2, first: { line: 1, message: 'bad' } }, warn),
    ).toThrow(InvalidInputError);
  });
});
