import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import { PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { createLocalApi } from '../../lambdas/local/api.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { type LocalRecommender, trainLocalRecommender } from '../../src/local/index.ts';
import {
  type LocalPersonalize,
  type OpenLocalPersonalizeOptions,
  openLocalPersonalize,
} from '../../src/local-personalize/index.ts';

/** A local server with the control plane on a random port, its folders, and SDK clients pointed at it. */
export interface TestServer {
  readonly root: string;
  readonly stateDir: string;
  readonly s3Dir: string;
  readonly plane: LocalPersonalize;
  /** The demo engine the server's static Personalize names serve. */
  readonly engine: LocalRecommender;
  readonly personalize: PersonalizeClient;
  readonly runtime: PersonalizeRuntimeClient;
  readonly events: PersonalizeEventsClient;
  stop(): Promise<void>;
}

let demoEngine: Promise<LocalRecommender> | undefined;

/** The demo engine the server needs besides the control plane: trained once per test file on tiny data. */
function demo(): Promise<LocalRecommender> {
  demoEngine ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-demo-'));
    await generateDataset({ outDir: dir, interactions: 2000, seed: 7 });
    const engine = await trainLocalRecommender(
      { interactions: join(dir, 'interactions.csv') },
      { training: { tune: false } },
    );
    rmSync(dir, { recursive: true, force: true });
    return engine;
  })();
  return demoEngine;
}

export async function startTestServer(options: OpenLocalPersonalizeOptions = {}): Promise<TestServer> {
  const root = mkdtempSync(join(tmpdir(), 'local-personalize-'));
  const stateDir = join(root, 'state');
  const s3Dir = join(root, 's3');
  const plane = await openLocalPersonalize({ stateDir, s3Dir, latencyMs: 0, ...options });
  const engine = await demo();
  const server: Server = createLocalApi({
    engine,
    deadLetterFile: join(root, 'dead-letters.jsonl'),
    personalize: plane,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const config = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  };
  return {
    root,
    stateDir,
    s3Dir,
    plane,
    engine,
    personalize: new PersonalizeClient(config),
    runtime: new PersonalizeRuntimeClient(config),
    events: new PersonalizeEventsClient(config),
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      await plane.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Polls `read` until `done` holds for its value (or gives up after `attempts` × 25 ms). */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  attempts = 2400,
): Promise<T> {
  let value = await read();
  for (let i = 0; i < attempts && !done(value); i++) {
    await sleep(25);
    value = await read();
  }
  return value;
}

/** Polls until `read` fails with ResourceNotFoundException (the resource is deleted). */
export async function waitGone(read: () => Promise<unknown>): Promise<void> {
  await waitFor(
    () =>
      read().then(
        () => 'present',
        (error: Error) => error.name,
      ),
    (state) => state !== 'present',
  );
}
