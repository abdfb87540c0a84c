import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../cdk/config/load.ts';
import { STALE_SPEC_CHECKS } from '../../cdk/lib/cfn-lint-exceptions.ts';
import { type Template, templatesOf } from './templates-fixture.ts';

describe('cfn-lint exceptions', () => {
  let resources: { type: string; ignored: unknown }[];

  beforeAll(async () => {
    const templates: Template[] = Object.values(await templatesOf(loadConfig()));
    resources = templates.flatMap((t) =>
      Object.values(t.Resources).map((r) => ({
        type: r.Type,
        ignored: (r.Metadata?.['cfn-lint'] as { config?: { ignore_checks?: unknown } } | undefined)?.config
          ?.ignore_checks,
      })),
    );
  });

  // Each entry was checked by deleting it and running cfn-lint 1.51.0 on `cdk synth`'s templates: each
  // reports its error then. A cfn-lint upgrade that learns a type's schema makes its entry removable.
  it('names only the check each type fails for lack of a schema', () => {
    expect(STALE_SPEC_CHECKS).toEqual({
      'AWS::Personalize::DatasetGroup': ['E3002'],
      'AWS::Personalize::Schema': ['E3002'],
      'AWS::Personalize::Solution': ['E3002'],
      'AWS::Personalize::EventTracker': ['E3006'],
      'AWS::Personalize::Filter': ['E3006'],
      'AWS::CloudWatch::Dashboard': ['E3002'],
    });
  });

  it('puts the exception on every resource of those types, and on no other', () => {
    for (const { type, ignored } of resources) {
      expect({ type, ignored }).toEqual({ type, ignored: STALE_SPEC_CHECKS[type] });
    }
  });

  it('lists no type the app does not deploy', () => {
    const deployed = new Set(resources.map((r) => r.type));
    expect(Object.keys(STALE_SPEC_CHECKS).filter((type) => !deployed.has(type))).toEqual([]);
  });
});
