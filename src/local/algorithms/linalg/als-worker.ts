/**
 * A helper thread of `AlsTeam`: waits for a new generation, takes the newest posted half-iteration from its
 * port synchronously, solves the rows it claims, and reports done. It never returns to its event loop.
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { CgScratch } from './als-cg.ts';
import { type AlsHalfTask, CONTROL, solveClaimedRows } from './als-chunks.ts';

const control = (workerData as { control: Int32Array }).control;
const port = parentPort as MessagePort;
const scratch = new CgScratch();

// Read before announcing readiness: the first generation may be bumped as soon as we are counted.
let seen = Atomics.load(control, CONTROL.generation);
Atomics.add(control, CONTROL.ready, 1);
Atomics.notify(control, CONTROL.ready);

for (;;) {
  // Woken by notify; the timeout only bounds how long a termination request can go unnoticed.
  Atomics.wait(control, CONTROL.generation, seen, 1000);
  const generation = Atomics.load(control, CONTROL.generation);
  if (generation === seen) continue;
  seen = generation;
  let task: AlsHalfTask | null = null;
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port))
    task = m.message as AlsHalfTask | null;
  try {
    if (task) {
      solveClaimedRows(task, control, scratch);
    }
  } catch {
    Atomics.store(control, CONTROL.failed, 1);
  }
  if (Atomics.sub(control, CONTROL.pending, 1) === 1) Atomics.notify(control, CONTROL.pending);
}
