import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary folder of a test run goes under one folder removed at the end: the tests' own, and those of
 * libraries and child processes that never clean up (CDK asset staging, esbuild bundling), which leave empty
 * folders behind in the system's temp dir. `os.tmpdir()` reads TMPDIR at each call; the test workers and the
 * processes they spawn inherit it.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'personalize-toolkit-tests-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
