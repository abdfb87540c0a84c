import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { DEFAULT_CONFIG } from '../../cdk/config/default.ts';
import { deepMerge, parseConfig } from '../../cdk/config/load.ts';
import { contentHash } from '../../cdk/config/names.ts';
import type { AppConfig } from '../../cdk/config/schema.ts';

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
 * every other file reads it back (without even loading aws-cdk-lib and the app, seconds of import per
 * file). No Lambda is bundled (no test reads a bundle; `cdk synth` in CI
 * bundles), and cdk-nag runs as in `cdk synth`, so its verdict is part of the result.
 */
export async function synthesized(config: AppConfig): Promise<Synthesized> {
  const key = contentHash({ config, sources: sourceStamp() });
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
      // Another worker is synthesizing this configuration: wait for its file.
      await sleep(100);
      continue;
    }
    try {
      const temporary = `${file}.${process.pid}`;
      writeFileSync(temporary, JSON.stringify(await synthesize(config)));
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

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The newest modification time of what synth reads: part of the key, so that in watch mode (one temp folder
 * for many runs) an edit to the app, the code it imports or a schema is synthesized afresh.
 */
function sourceStamp(): number {
  let newest = statSync(join(ROOT, 'cdk.json')).mtimeMs;
  for (const dir of ['cdk', 'src', 'schemas']) {
    for (const entry of readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

async function synthesize(config: AppConfig): Promise<Synthesized> {
  const { App, Stack } = await import('aws-cdk-lib');
  const { buildApp } = await import('../../cdk/lib/app.ts');
  const { ProjectFunction } = await import('../../cdk/lib/node-function.ts');
  const { context } = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-synth-'));
  try {
    // CDK's built-in template validator (a WebAssembly CloudFormation schema check, about 4 s of CPU per
    // process) only warns; cfn-lint checks the real `cdk synth` in CI.
    const app = new App({
      context: { ...context, 'aws:cdk:bundling-stacks': [] },
      outdir,
      builtinCloudFormationValidation: false,
    });
    const stacks = buildApp(app, config);
    let assembly: ReturnType<InstanceType<typeof App>['synth']>;
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
      .filter((c) => c instanceof ProjectFunction)
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
export async function templatesOf(config: AppConfig): Promise<Readonly<Record<StackRole, Template>>> {
  const result = await synthesized(config);
  if (!result.templates) throw new Error(`synth failed: ${result.error}`);
  return result.templates;
}

/** The default configuration with the optional batch workflow switched on, so tests cover it too. */
export const TEST_CONFIG = parseConfig(deepMerge(DEFAULT_CONFIG, { batch: { enabled: true } }));
