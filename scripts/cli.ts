/**
 * `npm run cli -- <command> ...` (or the `personalize-toolkit` bin): data upload, batch inference and
 * segment jobs, export of batch output to CSV/Parquet, and offline batch output from the local model.
 * `npm run cli -- help <command>` lists each command's options. The commands live in `scripts/cli/`.
 * Exit codes: `EXIT_CODES` in src/cli/exit-codes.ts (README "Exit codes").
 */
import { EXIT_CODES, runCli } from '../src/cli/exit-codes.ts';
import { buildProgram } from './cli/program.ts';

await runCli('personalize-toolkit', async () => {
  let outcome: Promise<number> | undefined;
  await buildProgram((code) => {
    // Marked handled now; the failure is rethrown below, once parsing is done.
    code.catch(() => undefined);
    outcome = code;
  }).parseAsync(process.argv);
  return outcome === undefined ? EXIT_CODES.ok : await outcome;
});
