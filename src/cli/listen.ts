import { createServer, type Server } from 'node:net';
import { ResourceInUseError } from '../errors.ts';

/** A listen failure as one line with the fix: a busy port or a host this machine does not have. */
function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  if (error.code === 'EADDRINUSE') {
    return new ResourceInUseError(
      `port ${port} on ${host} is already in use: stop the other server or pass --port <n> (or PORT=<n>)`,
      { cause: error },
    );
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new ResourceInUseError(`cannot listen on ${host}: no such interface here; try --host 127.0.0.1`, {
      cause: error,
    });
  }
  return error;
}

/** Starts `server` listening; rejects with a one-line typed error instead of an unhandled 'error' event. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, port, host));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Fails now when the port is taken, so a busy port is reported before minutes of training, not after. */
export async function assertPortFree(port: number, host: string): Promise<void> {
  const probe = createServer();
  await listen(probe, port, host);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
