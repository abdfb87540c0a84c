import { Command, CommanderError } from 'commander';
import {
  AccessDeniedError,
  ConfigError,
  InvalidInputError,
  JobFailedError,
  LimitExceededError,
  ModelFitError,
  ResourceNotFoundError,
  ThrottledError,
} from '../errors.ts';
import { turnOffSdkNodeVersionWarning } from './sdk-node-warning.ts';

/**
 * Exit codes of every command and script (`npm run cli`, validate-data, evaluate, generate-data, replay-dlq,
 * start), one per kind of failure, so callers can branch on them. README "Exit codes" documents this table.
 */
export const EXIT_CODES = {
  ok: 0,
  failed: 1,
  invalidInput: 2,
  notFound: 3,
  accessDenied: 4,
  jobFailed: 5,
  throttled: 6,
} as const;

/** The one mapping of failures to exit codes; anything untyped is `failed`. */
export function exitCodeOf(error: unknown): number {
  // Help and version end parsing with exit code 0; every other parse error is a usage error.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.invalidInput;
  if (error instanceof InvalidInputError || error instanceof ConfigError) return EXIT_CODES.invalidInput;
  // The data cannot train a model (too few users or items): the input's fault, like a validation error.
  if (error instanceof ModelFitError) return EXIT_CODES.invalidInput;
  if (error instanceof ResourceNotFoundError) return EXIT_CODES.notFound;
  if (error instanceof AccessDeniedError) return EXIT_CODES.accessDenied;
  if (error instanceof JobFailedError) return EXIT_CODES.jobFailed;
  if (error instanceof ThrottledError || error instanceof LimitExceededError) return EXIT_CODES.throttled;
  switch (nodeErrorCode(error)) {
    case 'ENOENT':
      return EXIT_CODES.notFound;
    // A directory where a file was expected, a file where a folder was (ENOTDIR, also for `file.csv/x`), or
    // an output that exists as the wrong kind: the caller's usage.
    case 'EISDIR':
    case 'ENOTDIR':
    case 'EEXIST':
      return EXIT_CODES.invalidInput;
    case 'EACCES':
    case 'EPERM':
      return EXIT_CODES.accessDenied;
    default:
      return EXIT_CODES.failed;
  }
}

function nodeErrorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** `--debug` anywhere on the command line, or `DEBUG=1`: failures print their stack and causes. */
export function debugRequested(
  argv: readonly string[] = process.argv,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  return argv.includes('--debug') || env.DEBUG === '1' || env.DEBUG === 'true';
}

/** The flag every command and script accepts (commander rejects flags it was not told about). */
export const DEBUG_FLAG = ['--debug', 'print the stack trace of a failure (or set DEBUG=1)'] as const;

/**
 * A commander program (or command) whose usage errors are thrown as CommanderError, not printed by commander
 * nor exited on, so `runCli` reports them in the one-line format with their exit code. Every program starts
 * here; subcommands added with `.command()` copy both settings.
 */
export function cliProgram(name?: string): Command {
  return new Command(name).exitOverride().configureOutput({ outputError: () => {} });
}

/**
 * Reports a failure on stderr and returns its exit code: one line `program: Name: message`, plus the stack
 * and causes when debugging. Help and the version end parsing with a CommanderError too: commander has
 * printed them (help for a missing command on stderr), so they add no line.
 */
export function reportFailure(program: string, error: unknown, debug = debugRequested()): number {
  const code = exitCodeOf(error);
  if (error instanceof CommanderError && (code === EXIT_CODES.ok || error.code === 'commander.help'))
    return code;
  const line =
    error instanceof CommanderError
      ? // Commander's own class name means nothing to a user: it is a usage error.
        `UsageError: ${error.message.replace(/^error: /, '')}`
      : error instanceof Error
        ? `${error.name}: ${error.message}`
        : `Error: ${String(error)}`;
  process.stderr.write(`${program}: ${line.replace(/\s*\n\s*/g, ' ')}\n`);
  if (debug) {
    for (let e: unknown = error; e instanceof Error; e = e.cause) {
      process.stderr.write(`${e === error ? '' : 'caused by: '}${e.stack ?? e.message}\n`);
    }
  }
  return code;
}

/**
 * Runs a command or script's `main` and sets `process.exitCode`: the code it returns, or the
 * code of what it throws, reported by `reportFailure`. Every entry point ends through here.
 */
export async function runCli(program: string, main: () => Promise<number>): Promise<void> {
  turnOffSdkNodeVersionWarning();
  try {
    process.exitCode = await main();
  } catch (error) {
    process.exitCode = reportFailure(program, error);
  }
}
