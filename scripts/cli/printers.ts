/** Progress and status lines of the CLI, all on stderr: stdout carries the results. */
import { createProgress } from '../../src/cli/progress.ts';

const formatElapsed = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** Prints each job status change with the time elapsed. */
export function statusPrinter(label: string, quiet: boolean): (status: string, elapsedMs: number) => void {
  let last = '';
  return (status, elapsedMs) => {
    if (quiet || status === last) return;
    last = status;
    process.stderr.write(`[${formatElapsed(elapsedMs)}] ${label}: ${status}\n`);
  };
}

/** One progress bar per uploaded file, started when the first bytes of a new file arrive. */
export function uploadProgress(quiet: boolean) {
  const progress = createProgress({ quiet });
  let started = '';
  return (label: string, sent: number, total: number) => {
    if (started !== label) {
      progress.start(`upload ${label}`, total);
      started = label;
    }
    progress.update(sent);
    if (sent >= total) progress.stop();
  };
}
