import { rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectFunction } from '../../cdk/lib/node-function.ts';
import { LAMBDA_ENV, type LambdaEnvSpec, RUNTIME_ENV } from '../../src/config/lambda-env.ts';
import { type SynthesizedApp, synthesizeApp } from './app-fixture.ts';

interface SynthesizedFunction {
  readonly path: string;
  readonly entry: string;
  /** Names of the variables set on the function in its stack's template. */
  readonly variables: readonly string[];
}

describe('Lambda environments in the synthesized templates', () => {
  let synth: SynthesizedApp;
  let functions: SynthesizedFunction[];

  beforeAll(() => {
    synth = synthesizeApp();
    if (synth.error) throw synth.error;
    const assembly = synth.app.synth();
    functions = synth.app.node
      .findAll()
      .filter((c): c is ProjectFunction => c instanceof ProjectFunction)
      .map((fn) => {
        const stack = Stack.of(fn);
        const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnFunction);
        const template = assembly.getStackByName(stack.stackName).template as {
          Resources: Record<string, { Properties?: { Environment?: { Variables?: object } } }>;
        };
        const variables = template.Resources[logicalId]?.Properties?.Environment?.Variables ?? {};
        return { path: fn.node.path, entry: fn.sourceEntry, variables: Object.keys(variables) };
      });
  });
  afterAll(() => rmSync(synth.outdir, { recursive: true, force: true }));

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
