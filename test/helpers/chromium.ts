import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

const ROOT = join(import.meta.dirname, '../..');

/** Where browser tests leave their screenshots (gitignored). */
export const TEST_RESULTS = join(ROOT, 'test-results');

/**
 * Flags for a headless Chromium in a container: without the background-networking ones its own update and
 * sync connections are refused here and slow every launch; a fresh profile keeps runs independent.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Debian's Chromium (`apt-get install -y chromium`) or the binary `CHROMIUM_PATH` names. A browser test must
 * fail without it rather than skip: a skipped browser test would pass CI without the page ever being opened.
 */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path))
    throw new Error(
      `Chromium not found at ${path}: install it (apt-get install -y chromium) or set CHROMIUM_PATH to its binary`,
    );
  return path;
}

export interface LaunchedBrowser {
  readonly context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * Headless Chromium through playwright-core, with a fresh profile (`--user-data-dir`, which Playwright takes
 * as the persistent context's folder) that `close` removes.
 */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const executablePath = chromiumPath();
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The path a test's screenshot goes to under `test-results/`, creating the folder. */
export function screenshotPath(name: string): string {
  mkdirSync(TEST_RESULTS, { recursive: true });
  return join(TEST_RESULTS, `${name}.png`);
}
