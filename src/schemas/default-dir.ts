import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { folderAbove } from '../core/package-root.ts';

/**
 * The schemas shipped in the repository's `schemas/` folder (the default domain). Its own module, free of
 * the Avro parser, so command-line flag defaults can name it without loading the parser.
 */
export const DEFAULT_SCHEMA_DIR = join(
  folderAbove(import.meta.url, 'schemas/interactions.json') ??
    resolve(dirname(fileURLToPath(import.meta.url)), '../..'),
  'schemas',
);
