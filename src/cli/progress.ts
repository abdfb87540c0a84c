import cliProgress from 'cli-progress';
import type { ProgressReporter } from '../core/progress.ts';

export interface ProgressOptions {
  /** Draw nothing, e.g. for `--quiet`. @default - quiet when stdout is not a TTY (piped or redirected output) */
  readonly quiet?: boolean;
  /** Where the bar is drawn. @default process.stderr, so it never mixes with results printed on stdout */
  readonly stream?: NodeJS.WriteStream;
}

const silent: ProgressReporter = { start() {}, update() {}, stop() {} };

/** A progress bar for the CLIs: one bar at a time, labelled by the phase (e.g. "fit itemKnn"). */
export function createProgress(options: ProgressOptions = {}): ProgressReporter {
  const quiet = options.quiet ?? !process.stdout.isTTY;
  if (quiet) return silent;
  const bar = new cliProgress.SingleBar(
    {
      stream: options.stream ?? process.stderr,
      format: '{label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let active = false;
  return {
    start(label, total) {
      if (active) bar.stop();
      bar.start(total, 0, { label });
      active = true;
    },
    update(done) {
      if (active) bar.update(done);
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}
