/** A team of helper threads that one process shares (see `ProcessTeam`). */
export interface HelperTeam {
  readonly helpers: number;
  /** False once a helper thread has died: the team is replaced on next use. */
  readonly healthy: boolean;
  close(): void;
}

/**
 * The process's one team of helper threads of a kind, started on first use and kept for later calls (a team
 * of another size, or one that lost a thread, is replaced). When threads cannot start here, `get` answers
 * undefined from then on and the work stays on the calling thread.
 */
export class ProcessTeam<T extends HelperTeam> {
  private team: T | undefined;
  private broken = false;

  constructor(private readonly start: (helpers: number) => T | undefined) {}

  get(helpers: number): T | undefined {
    if (this.broken || helpers < 1) return undefined;
    if (this.team && (this.team.helpers !== helpers || !this.team.healthy)) this.close();
    this.team ??= this.start(helpers);
    if (!this.team) this.broken = true;
    return this.team;
  }

  /** Stops the team, if any (tests; a process exits with it running anyway). */
  close(): void {
    this.team?.close();
    this.team = undefined;
  }
}

/** How long helper threads may take to start (module loading under tsx takes seconds on a loaded machine). */
const STARTUP_TIMEOUT_MS = 60_000;
const STARTUP_POLL_MS = 200;

/**
 * Blocks until `team`'s helpers have each counted themselves in `control[slot]` (they `Atomics.add` and
 * `notify` it once ready); closes the team and answers undefined when they do not all come up in time or
 * one dies. Blocking is the point: training is synchronous, and a helper answers in milliseconds once up.
 */
export function whenReady<T extends HelperTeam>(team: T, control: Int32Array, slot: number): T | undefined {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    const ready = Atomics.load(control, slot);
    if (ready === team.helpers) return team;
    if (Date.now() > deadline || !team.healthy) {
      team.close();
      return undefined;
    }
    Atomics.wait(control, slot, ready, STARTUP_POLL_MS);
  }
}
