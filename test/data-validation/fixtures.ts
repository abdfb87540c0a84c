import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import {
  type RuleResult,
  type ValidateDatasetsInput,
  type ValidationReport,
  validateDatasets,
} from '../../src/data-validation/index.ts';
import { loadSchemas } from '../../src/schemas/index.ts';

/** "Now" for every test, so future/old timestamp checks are deterministic (2027-01-15). */
export const NOW = 1_800_000_000;
export const SCHEMAS = loadSchemas();

export const HEADERS = {
  interactions: 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE',
  items: 'ITEM_ID,CATEGORY,TAGS,BRAND,PRICE,CREATION_TIMESTAMP,DESCRIPTION',
  users: 'USER_ID,MEMBERSHIP,AGE_GROUP,REGION',
} as const;

/** A temp folder removed after the test file; `write` puts a file in it and returns its path. */
export function tempFolder(): { dir: string; write(name: string, lines: readonly string[]): string } {
  const dir = mkdtempSync(join(tmpdir(), 'validate-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(name, lines) {
      const path = join(dir, name);
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    },
  };
}

/** Data rows that pass every rule: 40 users × 30 interactions over 50 items, two event types. */
export function cleanInteractionRows(): string[] {
  const rows: string[] = [];
  for (let u = 0; u < 40; u++) {
    for (let k = 0; k < 30; k++) {
      const event = k % 3 === 0 ? 'purchase' : 'click';
      const value = k % 2 === 0 ? '1.5' : '';
      rows.push(`u${u},i${(u + k) % 50},${1_700_000_000 + u * 100 + k},${event},${value},mobile`);
    }
  }
  return rows;
}

export function cleanItemRows(): string[] {
  return Array.from(
    { length: 50 },
    (_, i) => `i${i},shoes|sale,,brand${i % 4},${(i + 0.99).toFixed(2)},1690000000,"A ""good"" item, really"`,
  );
}

export function cleanUserRows(): string[] {
  return Array.from({ length: 40 }, (_, u) => `u${u},gold,25-34,`);
}

export function validate(
  files: Omit<ValidateDatasetsInput, 'schemas' | 'options'>,
  maxExamples = 10,
): Promise<ValidationReport> {
  return validateDatasets({ ...files, schemas: SCHEMAS, options: { nowSeconds: NOW, maxExamples } });
}

/** The result of one rule; fails the test when the rule did not fire. */
export function ruleOf(report: ValidationReport, id: string): RuleResult {
  const rule = report.rules.find((r) => r.rule === id);
  if (!rule) throw new Error(`rule ${id} did not fire; fired: ${report.rules.map((r) => r.rule).join(', ')}`);
  return rule;
}

/** Location and count of a rule, for compact assertions. */
export function firing(report: ValidationReport, id: string) {
  const rule = ruleOf(report, id);
  return {
    severity: rule.severity,
    count: rule.count,
    at: rule.examples.map((e) => [e.line, e.column]),
  };
}
