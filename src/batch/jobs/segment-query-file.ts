import { readFile } from 'node:fs/promises';
import { ResourceNotFoundError } from '../../errors.ts';
import type { NamedQuery } from './segment-query.ts';

/** Item-Attribute-Affinity queries from a text file, one per line (blank lines skipped), named by their line. */
export async function readAttributeQueryFile(path: string): Promise<NamedQuery[]> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new ResourceNotFoundError(`file not found: ${path}`, { cause: error });
    throw error;
  });
  return text
    .split(/\r?\n/)
    .flatMap((line, i) =>
      line.trim().length === 0 ? [] : [{ query: line.trim(), field: `${path} line ${i + 1}` }],
    );
}
