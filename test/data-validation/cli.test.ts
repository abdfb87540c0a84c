import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ValidationReport } from '../../src/data-validation/index.ts';
import { runScript } from '../helpers/run-script.ts';
import { cleanInteractionRows, HEADERS, tempFolder } from './fixtures.ts';

const folder = tempFolder();
const cli = (...args: string[]) => runScript('validate-data', ...args);

describe('CLI: validate-data', () => {
  it('exits 0 with warnings only, and prints the JSON report with --json', async () => {
    // Prepare: a duplicate row is a warning
    const rows = cleanInteractionRows();
    const file = folder.write('warn.csv', [HEADERS.interactions, ...rows, rows[0]!]);

    // Act
    const { code, stdout } = await cli('--interactions', file, '--json');

    // Assess
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ValidationReport;
    expect(report).toMatchObject({
      ok: true,
      counts: { error: 0, warning: 1, info: 1 },
      files: [{ dataset: 'interactions', file, rows: 1201 }],
      interactions: { rows: 1201, distinctUsers: 40, activeUsers: 40 },
    });
    expect(report.rules[0]).toEqual({
      rule: 'duplicate-interaction',
      severity: 'warning',
      description: expect.any(String),
      count: 1,
      examples: [
        {
          severity: 'warning',
          rule: 'duplicate-interaction',
          file,
          line: rows.length + 2,
          column: 0,
          message: expect.any(String),
        },
      ],
    });
  });

  it('exits 2 (invalid input) on errors and prints the text report', async () => {
    const file = folder.write('few.csv', [HEADERS.interactions, 'u1,i1,1700000000,click,,']);
    const { code, stdout } = await cli(
      '--interactions',
      file,
      '--schemas',
      join(import.meta.dirname, '../../schemas'),
    );
    expect(code).toBe(2);
    expect(stdout).toMatch(/^ERRORS\n/);
    expect(stdout).toContain('[min-interactions] 1 × training needs at least 1000 interactions');
    expect(stdout).toContain('FAILED');
  });

  it('exits 3 (not found) with a clear message for a missing file or schema', async () => {
    const missing = join(folder.dir, 'absent.csv');
    const file = await cli('--interactions', missing);
    expect(file).toMatchObject({
      code: 3,
      stdout: '',
      stderr: `validate-data: ResourceNotFoundError: interactions file not found: ${missing}\n`,
    });
    const schema = await cli('--interactions', missing, '--schemas', folder.dir);
    expect(schema.stderr).toContain(
      `interactions schema not found: ${join(folder.dir, 'interactions.json')}`,
    );
  });
});
