import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface ScriptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Passed after the script's arguments. */
export interface ScriptOptions {
  /** Variables set on top of this process's environment, e.g. an AWS endpoint for an emulator. */
  readonly env?: Readonly<Record<string, string>>;
}

const ROOT = join(import.meta.dirname, '../..');

/**
 * Runs `scripts/<name>.ts` in a fresh Node process with tsx, as `npm run <name>` would, and never throws.
 * A trailing `ScriptOptions` object sets extra environment variables.
 */
export async function runScript(
  name: string,
  ...rest: string[] | [...string[], ScriptOptions]
): Promise<ScriptResult> {
  const items: readonly (string | ScriptOptions)[] = rest;
  const args = items.filter((item): item is string => typeof item === 'string');
  const options = items.find((item): item is ScriptOptions => typeof item !== 'string');
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts', `${name}.ts`), ...args],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...options?.env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
