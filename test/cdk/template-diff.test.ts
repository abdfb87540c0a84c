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

/**
 * Properties a resource type updates in place; a change to any other property replaces the resource (every
 * AWS::Personalize property does). Custom::PersonalizeDataset swaps its schema with UpdateDataset and tags
 * with TagResource (lambdas/workflow/dataset-resource.ts); its name, group and type make a new dataset.
 */
const IN_PLACE: Readonly<Record<string, readonly string[]>> = {
  'Custom::PersonalizeDataset': ['SchemaArn', 'Tags'],
};

/**
 * Resources the change replaces: a property outside the type's in-place list differs, directly or through a
 * resource it refers to that is itself replaced (an in-place update keeps the physical id and ARN).
 */
function replacedResources(before: Template, after: Template): Set<string> {
  const memo = new Map<string, boolean>();
  const replaced = (id: string): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    memo.set(id, false);
    const resource = before.Resources[id];
    const a = resource?.Properties ?? {};
    const b = after.Resources[id]?.Properties ?? {};
    const inPlace = IN_PLACE[resource?.Type ?? ''] ?? [];
    const result =
      after.Resources[id] === undefined ||
      [...new Set([...Object.keys(a), ...Object.keys(b)])]
        .filter((key) => !inPlace.includes(key))
        .some(
          (key) =>
            JSON.stringify(a[key]) !== JSON.stringify(b[key]) ||
            [...referencedIds(a[key])].some((ref) => ref in before.Resources && replaced(ref)),
        );
    memo.set(id, result);
    return result;
  };
  return new Set(Object.keys(before.Resources).filter(replaced));
}

const DATASET_TYPES = ['AWS::Personalize::Dataset', 'Custom::PersonalizeDataset'];

/** Named Personalize resources: a name is unique per account and region, and none can be renamed. */
const isPersonalize = (type: string) => type.startsWith('AWS::Personalize::') || DATASET_TYPES.includes(type);

/**
 * Personalize resources the change replaces while their name stays: CloudFormation creates the replacement
 * first, under the name the old one still holds, so the deploy fails (and a dataset would start empty).
 */
function collidingReplacements(before: Template, after: Template): string[] {
  const replaced = replacedResources(before, after);
  return Object.entries(before.Resources)
    .filter(([id, r]) => isPersonalize(r.Type) && replaced.has(id))
    .filter(([id, r]) => r.Properties?.['Name'] === after.Resources[id]?.Properties?.['Name'])
    .map(([id]) => id);
}

describe('Day two: a settings change deploys as an update', () => {
  let before: Record<string, Template>;
  let after: Record<string, Template>;

  beforeAll(async () => {
    // The change Personalize can apply in place: an Items (or Users) schema gains a nullable field. An
    // Interactions schema cannot be replaced at all (UpdateDataset refuses it; see README, "Changing settings").
    const schema = JSON.parse(readFileSync(new URL('../../schemas/items.json', import.meta.url), 'utf8'));
    schema.fields.push({ name: 'PLATFORM', type: ['null', 'string'], categorical: true });
    const edited = join(scratch, 'items.json');
    writeFileSync(edited, JSON.stringify(schema));
    const base = parseConfig(DEFAULT_CONFIG);
    const changed = parseConfig(
      deepMerge(DEFAULT_CONFIG, {
        schemaFiles: { items: edited },
        solutions: { userPersonalization: { algorithmHyperParameters: { hidden_dimension: '128' } } },
        filters: DEFAULT_CONFIG.filters.map((filter, i) =>
          i === 0
            ? { ...filter, expression: `${filter.expression} | EXCLUDE ItemID WHERE Items.PRICE > 1000` }
            : filter,
        ),
      }),
    );
    before = await templatesOf(base);
    after = await templatesOf(changed);
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

  it('changes a filter expression (an immutable property: the filter is replaced)', () => {
    const filters = (t: Template) =>
      Object.values(t.Resources)
        .filter((r) => r.Type === 'AWS::Personalize::Filter')
        .map((r) => r.Properties?.['FilterExpression']);
    expect(filters(after['serving']!)).not.toEqual(filters(before['serving']!));
  });

  it('replaces no Personalize resource under the name it already holds', () => {
    for (const role of Object.keys(before))
      expect(collidingReplacements(before[role]!, after[role]!), role).toEqual([]);
  });

  it('swaps the edited schema into the same dataset in place', () => {
    const datasets = (t: Template) =>
      Object.entries(t.Resources).filter(([, r]) => DATASET_TYPES.includes(r.Type));
    expect(datasets(before['data']!).map(([id]) => id)).toEqual([
      'InteractionsDataset',
      'ItemsDataset',
      'UsersDataset',
    ]);
    const updated = [...changedResources(before['data']!, after['data']!)].filter((id) =>
      datasets(before['data']!).some(([datasetId]) => datasetId === id),
    );
    expect(updated).toEqual(['ItemsDataset']);
    expect(replacedResources(before['data']!, after['data']!).has('ItemsDataset')).toBe(false);
  });
});
