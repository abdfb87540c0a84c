/**
 * A helper thread of `TuningTeam`: keeps the tuning set of the current search, and for each task fits the
 * named built-in algorithm on the carve, evaluates it (see `evaluateGridPoint`) and posts the result, its
 * score matrix moved rather than copied, on its reply port.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { createScorer } from '../algorithms/registry.ts';
import { evaluateGridPoint } from './grid-point.ts';
import { TuningSet } from './tuning-set.ts';
import { CONTROL, type HelperMessage, type HelperReply } from './tuning-workers.ts';

const control = (workerData as { control: Int32Array }).control;
let replies: MessagePort | undefined;
let tuning: TuningSet | undefined;

function reply(message: HelperReply, transfer: ArrayBuffer[] = []): void {
  replies?.postMessage(message, transfer);
  Atomics.add(control, CONTROL.replies, 1);
  Atomics.notify(control, CONTROL.replies);
}

parentPort?.on('message', (message: HelperMessage) => {
  switch (message.kind) {
    case 'port':
      replies = message.port;
      Atomics.add(control, CONTROL.ready, 1);
      Atomics.notify(control, CONTROL.ready);
      return;
    case 'holdout':
      tuning = new TuningSet(message.holdout, message.histories);
      return;
    case 'release':
      tuning = undefined;
      return;
    case 'task': {
      const { id, task } = message;
      try {
        if (!tuning) throw new Error('no tuning set was sent before the task');
        const scorer = createScorer(task.name, task.fitOptions);
        scorer.fit(tuning.holdout.train);
        const result = evaluateGridPoint(tuning, scorer, task.config, task.decays, task.decayGate);
        reply({ id, result }, [result.scores.buffer as ArrayBuffer, result.perUser.buffer as ArrayBuffer]);
      } catch (error) {
        reply({ id, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
});
