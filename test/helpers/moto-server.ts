import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A running moto_server (an AWS emulator) on 127.0.0.1, for tests that run the CLI against it. */
export interface MotoServer {
  readonly endpoint: string;
  /** Environment that points a process's AWS SDK v3 clients at this server with dummy credentials. */
  readonly env: Readonly<Record<string, string>>;
  /** Configuration for the test's own SDK clients (same server, region and credentials as `env`). */
  readonly clientConfig: {
    readonly endpoint: string;
    readonly region: string;
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  };
  stop(): Promise<void>;
}

const REGION = 'us-east-1';
const STARTUP_TIMEOUT_MS = 20_000;

const isExecutable = (path: string): Promise<boolean> =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

/**
 * `moto_server` on PATH, or pyenv's shim: CI runs without the login shell's PATH, as .ci/run notes for
 * cfn-lint. The error tells how to install it.
 */
async function findMotoServer(): Promise<string> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), join(homedir(), '.pyenv', 'shims')];
  for (const dir of dirs.filter((d) => d !== '')) {
    const candidate = join(dir, 'moto_server');
    if (await isExecutable(candidate)) return candidate;
  }
  throw new Error(
    "moto_server is not on PATH (nor in ~/.pyenv/shims): install it with `pip install 'moto[server]==5.2.1'`",
  );
}

/** moto_server cannot pick a port itself (`-p 0` is refused), so ask the OS for a free one first. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/moto-api/`)).ok;
  } catch {
    return false;
  }
}

/** Stops the process and waits for it to be gone. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/**
 * Starts moto_server on a free port of 127.0.0.1 and resolves once it answers HTTP. The endpoint is an IP
 * address on purpose: SDK v3 then addresses S3 buckets by path, since `<bucket>.127.0.0.1` is not a host.
 */
export async function startMotoServer(): Promise<MotoServer> {
  const command = await findMotoServer();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // moto logs every request on stderr: keep reading so the pipe never fills, and keep the tail for errors.
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    log = (log + chunk).slice(-4000);
  });
  let failure: Error | undefined;
  child.once('error', (error) => {
    failure = error;
  });
  child.once('exit', (code, signal) => {
    failure ??= new Error(`moto_server exited (${code ?? signal}) before answering on ${endpoint}:\n${log}`);
  });

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await answers(endpoint))) {
    if (failure) throw failure;
    if (Date.now() > deadline) {
      await stopProcess(child);
      throw new Error(`moto_server did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS} ms:\n${log}`);
    }
    await sleep(100);
  }
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  return {
    endpoint,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: REGION,
    },
    clientConfig: { endpoint, region: REGION, credentials },
    stop: () => stopProcess(child),
  };
}
