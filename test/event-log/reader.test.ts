import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ResourceNotFoundError } from '../../src/errors.ts';
import { eventLogToInteractions, readEventLog } from '../../src/event-log/index.ts';

const root = mkdtempSync(join(tmpdir(), 'event-log-reader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Function: readEventLog on a folder that is not there', () => {
  it('throws ResourceNotFoundError naming the folder, rather than reading an empty log', async () => {
    const dir = join(root, 'nope');
    const read = async () => {
      for await (const _ of readEventLog({ dir, from: 0, to: 1 })) {
        // nothing to read
      }
    };

    await expect(read()).rejects.toThrow(ResourceNotFoundError);
    await expect(read()).rejects.toThrow(`event-log folder not found: ${dir}`);
  });

  it('so an export from it fails instead of answering "0 interactions written"', async () => {
    const out = join(root, 'ev.csv');
    const run = eventLogToInteractions({ dir: join(root, 'nope'), from: 0, to: 1, out });

    await expect(run).rejects.toThrow(ResourceNotFoundError);
  });

  it('passes other failures on as they are (a file given as the folder)', async () => {
    const file = join(root, 'file.txt');
    writeFileSync(file, 'x');
    const read = async () => {
      for await (const _ of readEventLog({ dir: file, from: 0, to: 1 })) {
        // nothing to read
      }
    };

    await expect(read()).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
