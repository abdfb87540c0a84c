import { fileURLToPath } from 'node:url';

/** Repository root: entries, the lock file and schema files are resolved from here, not from the cwd. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
