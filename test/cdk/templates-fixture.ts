import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { contentHash } from '../../cdk/config/names.ts';
import type { AppConfig } from '../../cdk/config/schema.ts';
import { buildApp } from '../../cdk/lib/app.ts';
import { ProjectFunction } from '../../cdk/lib/node-function.ts';

type Json = Record<string, unknown>;

/** A synthesized CloudFormation template, as JSON. */
export interface Template {
  readonly Resources: Record<
    string,
    { Type: string; Properties?: Json; DependsOn?: unknown; Metadata?: Json }
  >;
  readonly Outputs?: Record<string, Json>;
}

export type StackRole = 'data' | 'training' | 'serving' | 'events';

/** A project Lambda as synthesized: its construct path, handler entry and where it sits in the templates. */
export interface SynthesizedFunction {
  readonly path: string;
  readonly entry: string;
  readonly role: StackRole;
  readonly logicalId: string;
}

/** One synth of the app: its templates, or the error synth failed with (cdk-nag findings fail it). */
export interface Synthesized {
  readonly templates?: Readonly<Record<StackRole, Template>>;
  readonly functions?: readonly SynthesizedFunction[];
  readonly error?: string;
}

/**
 * Synthesizing the app costs seconds of CPU, and most test files read the same few configurations. Each
 * distinct configuration is synthesized once per test run: the first worker that asks writes the result
 * under the run's temp folder (test/global-setup.ts points TMPDIR at it, and removes it at the end), and
 * every other file reads it back. No Lambda is bundled (no test reads a bundle; `cdk synth` in CI
 * bundles), and cdk-nag runs as in `cdk synth`, so its verdict is part of the result.
 */
export function synthesized(config: AppConfig): Synthesized {
  const key = contentHash(config);
  const memo = inProcess.get(key);
  if (memo) return memo;
  const dir = join(tmpdir(), 'cdk-synth-cache');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${key}.json`);
  const lock = join(dir, `${key}.lock`);
  for (;;) {
    if (existsSync(file)) break;
    try {
      mkdirSync(lock);
    } catch {
      // Another worker is synthesizing this configuration: wait for its file (sync, like synth itself).
      Atomics.wait(SLEEPER, 0, 0, 100);
      continue;
    }
    try {
      const temporary = `${file}.${process.pid}`;
      writeFileSync(temporary, JSON.stringify(synthesize(config)));
      renameSync(temporary, file);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  const result = JSON.parse(readFileSync(file, 'utf8')) as Synthesized;
  inProcess.set(key, result);
  return result;
}

const inProcess = new Map<string, Synthesized>();
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

function synthesize(config: AppConfig): Synthesized {
  const { context } = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-synth-'));
  try {
    const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] }, outdir });
    const stacks = buildApp(app, config);
    let assembly: ReturnType<App['synth']>;
    try {
      assembly = app.synth();
    } catch (error) {
      return { error: (error as Error).message };
    }
    const roleOf = new Map<string, StackRole>(
      Object.entries(stacks).map(([role, stack]) => [stack.stackName, role as StackRole]),
    );
    const templates = Object.fromEntries(
      Object.entries(stacks).map(([role, stack]) => [
        role,
        assembly.getStackByName(stack.stackName).template,
      ]),
    ) as Record<StackRole, Template>;
    const functions = app.node
      .findAll()
      .filter((c): c is ProjectFunction => c instanceof ProjectFunction)
      .map((fn) => {
        const stack = Stack.of(fn);
        return {
          path: fn.node.path,
          entry: fn.sourceEntry,
          role: roleOf.get(stack.stackName)!,
          logicalId: stack.getLogicalId(fn.node.defaultChild as CfnFunction),
        };
      });
    return { templates, functions };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The templates of `config`; throws synth's error (a failing config has no templates to read). */
export function templatesOf(config: AppConfig): Readonly<Record<StackRole, Template>> {
  const result = synthesized(config);
  if (!result.templates) throw new Error(`synth failed: ${result.error}`);
  return result.templates;
}
