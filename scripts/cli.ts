#!/usr/bin/env tsx
/**
 * `npm run cli -- <command> ...` (or the `personalize-toolkit` bin): data upload, batch inference and
 * segment jobs, export of batch output to CSV/Parquet, and offline batch output from the local model.
 * `npm run cli -- help <command>` lists each command's options. The commands live in `scripts/cli/`.
 * Exit codes: see src/batch/exit-code.ts.
 */
import { CommanderError } from 'commander';
import { EXIT_CODES, exitCodeOf } from '../src/cli/exit-codes.ts';
import { ToolkitError } from '../src/errors.ts';
import { buildProgram } from './cli/program.ts';

/** Typed errors become a one-line message and their exit code; anything else is a bug and keeps its stack. */
async function report(code: Promise<number>): Promise<void> {
  try {
    process.exitCode = await code;
  } catch (error) {
    if (!(error instanceof ToolkitError)) throw error;
    process.stderr.write(`personalize-toolkit: ${error.name}: ${error.message}\n`);
    process.exitCode = exitCodeOf(error);
  }
}

/**
 * Commander has already printed its message; help and version exit 0, and every usage error (unknown option,
 * missing or badly typed value) is invalid input, exit 2, like the same mistake found later.
 */
function usageExitCode(error: CommanderError): number {
  return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.invalidInput;
}

let pending: Promise<void> | undefined;
try {
  await buildProgram((code) => {
    pending = report(code);
  }).parseAsync(process.argv);
  await pending;
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  process.exitCode = usageExitCode(error);
}
