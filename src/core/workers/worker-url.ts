import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** tsx's ESM register API (the CommonJS build of it cannot register from an eval'd worker). */
function tsxRegisterUrl(): string {
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(join(dirname(cjs), 'index.mjs')).href;
}

/**
 * Starts a worker thread running the module at `url`. When the toolkit runs from TypeScript sources (tsx,
 * vitest), worker threads inherit no loader, so a small bootstrap registers tsx before importing the module.
 */
export function startWorker(url: URL, workerData: unknown): Worker {
  if (!/\.m?ts$/.test(url.pathname)) return new Worker(url, { workerData });
  const bootstrap = `(async () => {
  (await import(${JSON.stringify(tsxRegisterUrl())})).register();
  await import(${JSON.stringify(url.href)});
})();`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
}
