import { availableParallelism } from 'node:os';
import type { ProgressReporter } from '../../core/progress.ts';
import { type AlgorithmRegistry, algorithmNamed } from '../algorithms/plugin.ts';
import { BUILTIN_ALGORITHMS, createScorer } from '../algorithms/registry.ts';
import { evaluateGridPoint, type GridPointResult } from './grid-point.ts';
import { beatsNoise, type NoiseGate } from './paired-gain.ts';
import type { SharedScorers, TuningSpace } from './tune.ts';
import type { TuningSet } from './tuning-set.ts';
import { type GridPointTask, tuningTeam } from './tuning-workers.ts';

/** The best grid point of one component. */
export interface SearchedComponent extends GridPointResult {
  readonly name: string;
}

/**
 * Below this many carve-train interactions a whole search takes about a second on one thread, less than
 * starting helper threads costs (loading the module graph; seconds under tsx).
 */
const PARALLEL_MIN_INTERACTIONS = 50_000;
/** More helpers than this would only multiply the tuning set's copies. */
const MAX_HELPERS = 4;

let helpersOverride: number | undefined;

/**
 * Sets how many helper threads every later search of this process uses (0: tuning stays on the calling
 * thread, e.g. where threads are scarce or to measure what they bring); undefined restores the default.
 */
export function setTuningHelpers(helpers: number | undefined): void {
  if (helpers !== undefined && !(Number.isInteger(helpers) && helpers >= 0))
    throw new RangeError(`setTuningHelpers: helpers must be an integer >= 0, got ${helpers}`);
  helpersOverride = helpers;
}

/** Helper threads a search on this tuning set uses by default: one per core, none on small data. */
export function defaultHelpers(tuning: TuningSet): number {
  if (helpersOverride !== undefined) return helpersOverride;
  if (tuning.holdout.train.interactions.length < PARALLEL_MIN_INTERACTIONS) return 0;
  const cores = availableParallelism();
  return cores < 2 ? 0 : Math.min(MAX_HELPERS, cores);
}

/** The noise gates of a search (see `DEFAULT_NOISE_GATE`, `DEFAULT_DECAY_GATE` in tune.ts). */
export interface SearchGates {
  /** What a later configuration must gain over the grid's kept one (the first is the reference). */
  readonly config: NoiseGate;
  /** What a later recency decay must gain over the kept one. */
  readonly decay: NoiseGate;
}

/**
 * Fits and scores every grid point of every component of `space` and keeps each component's choice, in the
 * space's order: the grid's first configuration (the algorithm's default) is the reference, and a later one
 * replaces the kept one only when it beats it beyond `gates.config`, compared in grid order. Grid points are independent, so they
 * run on `helpers` worker threads at once; a worker rebuilds its scorer by name from the built-in registry,
 * so a component from a caller's own plugin, or a shared one, runs on this thread instead. Every grid
 * point gives the same result wherever it runs: the choice does not depend on threads or timing.
 */
export function searchComponents(
  tuning: TuningSet,
  space: TuningSpace,
  algorithms: AlgorithmRegistry,
  sharedScorers: SharedScorers,
  gates: SearchGates,
  progress?: ProgressReporter,
  helpers: number = defaultHelpers(tuning),
): SearchedComponent[] {
  const tasks: GridPointTask[] = space.components.flatMap((grid) =>
    grid.configs.map((config) => ({
      name: grid.name,
      config,
      fitOptions: { ...config, ...grid.tuningFit },
      decays: grid.searchRecencyDecay ? space.recencyDecays : [undefined],
      decayGate: gates.decay,
    })),
  );
  const gridOf = space.components.flatMap((grid, g) => grid.configs.map(() => g));
  progress?.start('tuning components', tasks.length);
  let done = 0;
  const finished = new Uint8Array(tasks.length);
  // Each grid's kept result. The gate compares in grid order, whatever order results arrive in: a result
  // waits in `early` until every task before it in its grid is judged, then losers are dropped at once, so
  // a component holds its kept score matrix plus those of the few tasks that finished ahead of their turn.
  const best = new Array<GridPointResult | undefined>(space.components.length);
  const early = new Map<number, GridPointResult>();
  const next = space.components.map((_, g) => gridOf.indexOf(g));
  const keep = (t: number, result: GridPointResult): void => {
    finished[t] = 1;
    progress?.update(++done);
    const g = gridOf[t]!;
    early.set(t, result);
    for (let turn = next[g]!; gridOf[turn] === g && early.has(turn); turn++) {
      const judged = early.get(turn)!;
      early.delete(turn);
      const held = best[g];
      if (!held || beatsNoise(judged.perUser, held.perUser, gates.config)) best[g] = judged;
      next[g] = turn + 1;
    }
  };
  const runHere = (t: number): void => keep(t, evaluateHere(tuning, tasks[t]!, algorithms, sharedScorers));
  const portable = (task: GridPointTask) =>
    !sharedScorers[task.name] &&
    algorithmNamed(algorithms, task.name, 'algorithm') ===
      BUILTIN_ALGORITHMS.find((p) => p.name === task.name);
  const remote = tasks.flatMap((task, t) => (portable(task) ? [t] : []));
  const team = helpers > 0 && remote.length > 1 ? tuningTeam(helpers) : undefined;
  if (team) {
    const local = tasks.flatMap((task, t) => (portable(task) ? [] : [t]));
    team.run(tuning, remote, tasks, {
      onResult: keep,
      // The caller's thread takes the grid points that cannot move while the helpers work.
      onIdle: () => {
        const t = local.shift();
        if (t === undefined) return false;
        runHere(t);
        return true;
      },
    });
    for (const t of local) runHere(t);
  }
  // Without helpers, and for any a helper failed on (rerun here: a bad config throws its own typed error).
  for (let t = 0; t < tasks.length; t++) if (!finished[t]) runHere(t);
  progress?.stop();

  return space.components.flatMap((grid, g) => {
    const winner = best[g];
    if (!winner) return [];
    const shared = sharedScorers[grid.name]?.();
    const decay = winner.options['recencyDecay'];
    // Every config of a shared component shares its scorer: it keeps the winning decay for the model.
    if (shared && decay !== undefined && grid.searchRecencyDecay) shared.recencyDecay = decay;
    return [{ name: grid.name, ...winner }];
  });
}

function evaluateHere(
  tuning: TuningSet,
  task: GridPointTask,
  algorithms: AlgorithmRegistry,
  sharedScorers: SharedScorers,
): GridPointResult {
  const shared = sharedScorers[task.name]?.();
  const scorer = shared ?? createScorer(task.name, task.fitOptions, algorithms);
  if (!shared) scorer.fit(tuning.holdout.train);
  return evaluateGridPoint(tuning, scorer, task.config, task.decays, task.decayGate);
}
