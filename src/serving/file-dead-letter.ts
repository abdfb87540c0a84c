import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DeadLetterQueue, DeadLetterRecord } from './dead-letter.ts';

/**
 * The dead-letter queue of local runs: one JSON line per failed PutEvents call, appended to a file, so
 * `npm start` loses no event either and the records have the same shape as the SQS messages.
 */
export class FileDeadLetterQueue implements DeadLetterQueue {
  constructor(private readonly path: string) {}

  async send(record: DeadLetterRecord): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, `${JSON.stringify(record)}\n`);
  }
}
