import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { partitionOf } from './partition.ts';
import type { EventLogRecord } from './schema.ts';

export interface EventLogWriterOptions {
  /** Root folder of the log; partitions `dt=YYYY-MM-DD/` are created under it. */
  readonly dir: string;
  /**
   * A part file is closed and a new one started once it holds this many bytes (Firehose's buffer size plays
   * this role in the cloud).
   * @default 128 MiB
   */
  readonly maxPartBytes?: number;
}

interface OpenPart {
  readonly handle: FileHandle;
  bytes: number;
}

/**
 * Appends event-log records as JSON Lines, partitioned by the UTC day they were received. Each writer owns
 * its part files (`part-<writer>-<n>.jsonl`), so several writers can share a folder. Writes are serialised:
 * a batch is on disk (in the OS) when `write` resolves. At-least-once upstream means a record may be written
 * twice; readers drop repeated event ids.
 */
export class EventLogWriter {
  private readonly dir: string;
  private readonly maxPartBytes: number;
  private readonly writerId = randomUUID().slice(0, 8);
  private readonly parts = new Map<string, OpenPart>();
  private sequence = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(options: EventLogWriterOptions) {
    this.dir = options.dir;
    this.maxPartBytes = options.maxPartBytes ?? 128 * 1024 * 1024;
    if (!(this.maxPartBytes > 0)) {
      throw new RangeError(`EventLogWriter: maxPartBytes must be positive, got ${this.maxPartBytes}`);
    }
  }

  /** Appends the records; resolves once they are written. */
  write(records: readonly EventLogRecord[]): Promise<void> {
    const run = this.queue.then(() => this.append(records));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Closes every open part file after the pending writes. */
  async close(): Promise<void> {
    await this.queue;
    const handles = [...this.parts.values()].map((part) => part.handle);
    this.parts.clear();
    await Promise.all(handles.map((handle) => handle.close()));
  }

  private async append(records: readonly EventLogRecord[]): Promise<void> {
    const byPartition = new Map<string, string[]>();
    for (const record of records) {
      const partition = partitionOf(record.receivedAt);
      const lines = byPartition.get(partition);
      const line = `${JSON.stringify(record)}\n`;
      if (lines) lines.push(line);
      else byPartition.set(partition, [line]);
    }
    for (const [partition, lines] of byPartition) {
      const text = lines.join('');
      const part = await this.partFor(partition);
      await part.handle.appendFile(text);
      part.bytes += Buffer.byteLength(text);
    }
  }

  private async partFor(partition: string): Promise<OpenPart> {
    const open_ = this.parts.get(partition);
    if (open_ && open_.bytes < this.maxPartBytes) return open_;
    if (open_) {
      this.parts.delete(partition);
      await open_.handle.close();
    }
    const folder = join(this.dir, partition);
    await mkdir(folder, { recursive: true });
    const name = `part-${this.writerId}-${String(this.sequence++).padStart(5, '0')}.jsonl`;
    const part = { handle: await open(join(folder, name), 'a'), bytes: 0 };
    this.parts.set(partition, part);
    return part;
  }
}
