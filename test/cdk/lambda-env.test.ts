import { readdir, readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ENV, type LambdaEnvSpec, RUNTIME_ENV } from '../../src/config/lambda-env.ts';
import { synthesized, TEST_CONFIG } from './templates-fixture.ts';

interface FunctionEnvironment {
  readonly path: string;
  readonly entry: string;
  /** Names of the variables set on the function in its stack's template. */
  readonly variables: readonly string[];
}

describe('Lambda environments in the synthesized templates', () => {
  let functions: FunctionEnvironment[];

  beforeAll(async () => {
    const synth = await synthesized(TEST_CONFIG);
    if (!synth.templates) throw new Error(`synth failed: ${synth.error}`);
    const templates = synth.templates;
    functions = (synth.functions ?? []).map((fn) => {
      const environment = templates[fn.role].Resources[fn.logicalId]?.Properties?.['Environment'] as
        | { Variables?: object }
        | undefined;
      return { path: fn.path, entry: fn.entry, variables: Object.keys(environment?.Variables ?? {}) };
    });
  });

  const specs: readonly LambdaEnvSpec[] = Object.values(LAMBDA_ENV);
  const specOf = (entry: string) => specs.find((spec) => spec.entry === entry);

  it('deploys every Lambda that has an environment entry, and only those', () => {
    expect(functions.map((fn) => fn.entry).filter((entry) => specOf(entry) === undefined)).toEqual([]);
    expect(new Set(functions.map((fn) => fn.entry))).toEqual(new Set(specs.map((spec) => spec.entry)));
  });

  it('sets every variable each Lambda requires, and none it does not read', () => {
    for (const fn of functions) {
      const spec = specOf(fn.entry);
      const known = new Set<string>([
        ...(spec?.required ?? []),
        ...(spec?.optional ?? []),
        RUNTIME_ENV.nodeOptions,
      ]);
      expect({ fn: fn.path, missing: spec?.required.filter((name) => !fn.variables.includes(name)) }).toEqual(
        {
          fn: fn.path,
          missing: [],
        },
      );
      expect({ fn: fn.path, unknown: fn.variables.filter((name) => !known.has(name)) }).toEqual({
        fn: fn.path,
        unknown: [],
      });
    }
  });
});

describe('The CDK app', () => {
  it('imports no Lambda runtime code: entries are only named as paths', async () => {
    const root = new URL('../../cdk/', import.meta.url);
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts'));
    const offending: string[] = [];
    for (const file of files) {
      const source = await readFile(new URL(file, root), 'utf8');
      if (/from\s+['"][./]*lambdas\//.test(source) || /import\(\s*['"][./]*lambdas\//.test(source)) {
        offending.push(file);
      }
    }
    expect(files.length).toBeGreaterThan(5);
    expect(offending).toEqual([]);
  });
});
