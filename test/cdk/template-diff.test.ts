import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../cdk/config/default.ts';
import { deepMerge, parseConfig } from '../../cdk/config/load.ts';
import { type Template, templatesOf } from './templates-fixture.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cdk-diff-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Logical ids a value refers to (Ref / Fn::GetAtt), anywhere inside it. */
function referencedIds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) referencedIds(v, into);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string' && !v.startsWith('AWS::')) into.add(v);
      else if (key === 'Fn::GetAtt' && Array.isArray(v)) into.add(String(v[0]));
      else referencedIds(v, into);
    }
  }
  return into;
}

/** Export names another stack imports (`Fn::ImportValue`), with the stack that imports each. */
function importedExports(all: Record<string, Template>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (role: string, value: unknown) => {
    if (Array.isArray(value)) for (const v of value) walk(role, v);
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'Fn::ImportValue' && typeof v === 'string') found.set(v, [...(found.get(v) ?? []), role]);
        else walk(role, v);
      }
    }
  };
  for (const [role, template] of Object.entries(all)) walk(role, template.Resources);
  return found;
}

/**
 * Resources whose properties differ between the two templates, directly or through a resource they refer
 * to (a dataset whose schema is replaced gets a new schema ARN even though its own JSON reads the same).
 */
function changedResources(before: Template, after: Template): Set<string> {
  const memo = new Map<string, boolean>();
  const changed = (id: string): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    memo.set(id, false);
    const a = before.Resources[id]?.Properties;
    const b = after.Resources[id]?.Properties;
    const result =
      JSON.stringify(a) !== JSON.stringify(b) ||
      [...referencedIds(a)].some((ref) => ref in before.Resources && changed(ref));
    memo.set(id, result);
    return result;
  };
  return new Set(Object.keys(before.Resources).filter(changed));
}

/**
 * An export whose value comes from a resource that the change replaces: CloudFormation refuses to update an
 * export another stack imports, so the deploy fails and rolls back (every Personalize property forces
 * replacement, so any changed property counts).
 */
function blockedExports(before: Record<string, Template>, after: Record<string, Template>): string[] {
  const imported = importedExports(before);
  const problems: string[] = [];
  for (const [role, template] of Object.entries(before)) {
    const changed = changedResources(template, after[role]!);
    for (const output of Object.values(template.Outputs ?? {})) {
      const exportName = (output['Export'] as { Name?: string } | undefined)?.Name;
      if (!exportName || !imported.has(exportName)) continue;
      const causes = [...referencedIds(output['Value'])].filter((id) => changed.has(id));
      if (causes.length > 0)
        problems.push(`${exportName} (imported by ${imported.get(exportName)}) changes with ${causes}`);
    }
  }
  return problems;
}

/** Resources of a named type that the change replaces while their name stays: the new one would collide. */
function collidingReplacements(before: Template, after: Template, type: string): string[] {
  const changed = changedResources(before, after);
  return Object.entries(before.Resources)
    .filter(([id, r]) => r.Type === type && changed.has(id))
    .filter(([id, r]) => r.Properties?.['Name'] === after.Resources[id]?.Properties?.['Name'])
    .map(([id]) => id);
}

describe('Day two: a settings change deploys as an update', () => {
  let before: Record<string, Template>;
  let after: Record<string, Template>;

  beforeAll(() => {
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/interactions.json', import.meta.url), 'utf8'),
    );
    schema.fields.push({ name: 'PLATFORM', type: ['null', 'string'], categorical: true });
    const edited = join(scratch, 'interactions.json');
    writeFileSync(edited, JSON.stringify(schema));
    const base = parseConfig(DEFAULT_CONFIG);
    const changed = parseConfig(
      deepMerge(DEFAULT_CONFIG, {
        schemaFiles: { interactions: edited },
        solutions: { userPersonalization: { algorithmHyperParameters: { hidden_dimension: '128' } } },
      }),
    );
    before = templatesOf(base, scratch);
    after = templatesOf(changed, scratch);
  }, 120_000);

  it('changes the solution and the schema (so the test exercises a replacement)', () => {
    const names = (t: Template, type: string) =>
      Object.values(t.Resources)
        .filter((r) => r.Type === type)
        .map((r) => r.Properties?.['Name']);
    expect(names(after['data']!, 'AWS::Personalize::Solution')).not.toEqual(
      names(before['data']!, 'AWS::Personalize::Solution'),
    );
    expect(names(after['data']!, 'AWS::Personalize::Schema')).not.toEqual(
      names(before['data']!, 'AWS::Personalize::Schema'),
    );
  });

  it('exports nothing across stacks that the change replaces', () => {
    expect(blockedExports(before, after)).toEqual([]);
  });

  // Known open (issue "Day two", item 1): an edited schema still replaces the dataset under its own name.
  // The fix swaps the schema with UpdateDataset; `it.fails` turns red the day that lands, to become `it`.
  it.fails('leaves no dataset to be replaced under the same name', () => {
    expect(collidingReplacements(before['data']!, after['data']!, 'AWS::Personalize::Dataset')).toEqual([]);
  });
});
