/**
 * `npm run bench -- artifact`
 * Writes a model artifact shaped like the hybrid trained on 1M interactions (50k user ids, 20k item ids,
 * two 20k × 100 item-similarity matrices, 1M-row user histories), saves it to a temp file and loads it back.
 * Prints file size and save/load times. Target: loading (file read + header + id lists + array views) in
 * ≤ 250 ms. Exits 1 when the target is missed or the round trip differs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../src/core/random.ts';
import { loadArtifactFile, saveArtifactFile } from '../../src/local/model/artifact-file.ts';

const TARGET_LOAD_MS = 250;
const USERS = 50_000;
const ITEMS = 20_000;
const NEIGHBOURS = 100;
const INTERACTIONS = 1_000_000;

function similarity(seed: number): Record<string, Int32Array | Float32Array> {
  const rng = createRng(seed);
  const indptr = Int32Array.from({ length: ITEMS + 1 }, (_, i) => i * NEIGHBOURS);
  const indices = Int32Array.from({ length: ITEMS * NEIGHBOURS }, () => rng.int(ITEMS));
  const data = Float32Array.from({ length: ITEMS * NEIGHBOURS }, () => rng.next());
  return { [`s${seed}Indptr`]: indptr, [`s${seed}Indices`]: indices, [`s${seed}Data`]: data };
}

async function main(): Promise<number> {
  const rng = createRng(7);
  const artifact = {
    header: {
      kind: 'hybrid',
      weights: { itemKnn: 0.6, content: 0.2, popularity: 0.2 },
      trainedAt: 1_735_689_600,
    },
    arrays: {
      ...similarity(1),
      ...similarity(2),
      historyIndptr: Int32Array.from({ length: USERS + 1 }, (_, u) => u * (INTERACTIONS / USERS)),
      historyItems: Int32Array.from({ length: INTERACTIONS }, () => rng.int(ITEMS)),
      historyTimes: Float64Array.from({ length: INTERACTIONS }, (_, i) => 1_700_000_000 + i),
      historyEvents: new Uint8Array(INTERACTIONS),
    },
    strings: {
      users: Array.from({ length: USERS }, (_, u) => `user-${u}`),
      items: Array.from({ length: ITEMS }, (_, i) => `item-${i}`),
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'artifact-bench-'));
  try {
    const path = join(dir, 'model.bin');
    let started = performance.now();
    await saveArtifactFile(path, artifact);
    const saveMs = performance.now() - started;
    started = performance.now();
    const loaded = await loadArtifactFile(path);
    const loadMs = performance.now() - started;
    const bytes = Object.values(loaded.arrays).reduce((total, a) => total + a.byteLength, 0);
    const same =
      loaded.strings.users?.[USERS - 1] === `user-${USERS - 1}` &&
      loaded.strings.items?.length === ITEMS &&
      loaded.arrays.historyItems?.[INTERACTIONS - 1] === artifact.arrays.historyItems[INTERACTIONS - 1];
    console.log(
      `artifact: ${(bytes / 2 ** 20).toFixed(1)} MiB of arrays, ${USERS} user ids, ${ITEMS} item ids`,
    );
    console.log(
      `save ${saveMs.toFixed(0)} ms, load ${loadMs.toFixed(0)} ms; round trip ${same ? 'identical' : 'DIFFERS'}`,
    );
    const pass = same && loadMs <= TARGET_LOAD_MS;
    console.log(`target: load ≤ ${TARGET_LOAD_MS} ms — ${pass ? 'PASS' : 'FAIL'}`);
    return pass ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
