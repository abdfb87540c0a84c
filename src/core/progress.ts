/** Receives progress of long work (fitting, tuning); the CLI renders it as a progress bar. */
export interface ProgressReporter {
  start(label: string, total: number): void;
  update(done: number): void;
  stop(): void;
}
