import { createWriteStream, type WriteStream } from 'node:fs';
import { appendFile, copyFile, mkdir, open, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type CsvRecord, formatCsvField, scanCsvFile } from '../csv/index.ts';
import { InvalidInputError } from '../errors.ts';
import type { DatasetSchema } from '../schemas/types.ts';

/** The pending append of each stream file. */
const appending = new Map<string, Promise<void>>();

/** Rows of bulk imports (FULL replaces them) and of PutEvents/PutItems/PutUsers (kept across FULL imports). */
const BULK = 'bulk.csv';
const STREAM = 'stream.csv';

const csvLine = (cells: readonly string[]): string => `${cells.map(formatCsvField).join(',')}\n`;

function ended(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(resolve);
  });
}

/**
 * The rows of one dataset, kept as CSV files in the schema's column order under `dir`: the bulk part that
 * imports write and the streamed part that PutEvents/PutItems/PutUsers append to.
 */
export class DatasetData {
  private readonly columns: readonly string[];

  constructor(
    private readonly dir: string,
    private readonly schema: DatasetSchema,
  ) {
    this.columns = schema.fields.map((f) => f.name);
  }

  get bulkFile(): string {
    return join(this.dir, BULK);
  }

  get streamFile(): string {
    return join(this.dir, STREAM);
  }

  /** The id column upserts match on; interactions have none (they are appended). */
  private get idColumn(): string | undefined {
    if (this.schema.datasetType === 'items') return 'ITEM_ID';
    if (this.schema.datasetType === 'users') return 'USER_ID';
    return undefined;
  }

  /** FULL: the files' rows replace the bulk rows. */
  async replace(files: readonly string[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temp = `${this.bulkFile}.tmp`;
    if (files.length === 1 && (await this.headerOf(files[0]!)) === this.columns.join(',')) {
      await copyFile(files[0]!, temp);
    } else {
      const out = createWriteStream(temp);
      out.write(csvLine(this.columns));
      for (const file of files) await this.copyRows(file, (cells) => out.write(csvLine(cells)));
      await ended(out);
    }
    await rename(temp, this.bulkFile);
  }

  /** INCREMENTAL: interactions are appended; items and users are upserted by id. */
  async upsert(files: readonly string[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const id = this.idColumn;
    if (id === undefined) {
      const out = createWriteStream(this.bulkFile, { flags: 'a' });
      if (!(await exists(this.bulkFile)) || (await stat(this.bulkFile)).size === 0)
        out.write(csvLine(this.columns));
      for (const file of files) await this.copyRows(file, (cells) => out.write(csvLine(cells)));
      await ended(out);
      return;
    }
    const at = this.columns.indexOf(id);
    const rows = await this.rowsById(this.bulkFile);
    for (const file of files) await this.copyRows(file, (cells) => rows.set(cells[at]!, csvLine(cells)));
    await this.writeRows(this.bulkFile, rows.values());
  }

  /** Appends records streamed in (PutEvents, PutItems, PutUsers), keyed by column name; absent columns stay empty. */
  append(records: readonly Readonly<Record<string, string>>[]): Promise<void> {
    const text = records.map((r) => csvLine(this.columns.map((c) => r[c] ?? ''))).join('');
    const file = this.streamFile;
    // Appends to one file run one after another, so concurrent calls cannot both write the header.
    const previous = appending.get(file) ?? Promise.resolve();
    const next = previous.then(async () => {
      await mkdir(this.dir, { recursive: true });
      const fresh = !(await exists(file));
      await appendFile(file, (fresh ? csvLine(this.columns) : '') + text);
    });
    const settled = next.catch(() => {});
    appending.set(file, settled);
    void settled.then(() => {
      if (appending.get(file) === settled) appending.delete(file);
    });
    return next;
  }

  /** The rows streamed in (PutEvents, PutItems, PutUsers) in the order received, keyed by column name. */
  async streamedRows(): Promise<Record<string, string>[]> {
    const rows: Record<string, string>[] = [];
    if (await exists(this.streamFile)) {
      await this.copyRows(this.streamFile, (cells) =>
        rows.push(Object.fromEntries(this.columns.map((column, i) => [column, cells[i]!]))),
      );
    }
    return rows;
  }

  /** Rewrites stored rows in this schema's column order (a replaced schema adds columns, empty for them). */
  async conform(): Promise<void> {
    for (const file of [this.bulkFile, this.streamFile]) {
      if (!(await exists(file)) || (await this.headerOf(file)) === this.columns.join(',')) continue;
      const lines: string[] = [];
      await this.copyRows(file, (cells) => lines.push(csvLine(cells)));
      await this.writeRows(file, lines);
    }
  }

  /** True once any row has been imported or streamed. */
  async hasRows(): Promise<boolean> {
    return (await exists(this.bulkFile)) || (await exists(this.streamFile));
  }

  /**
   * One file with every row to train on, in `scratch` when it has to be built: bulk plus streamed rows
   * (streamed items/users win over bulk ones), interactions optionally narrowed to one EVENT_TYPE.
   */
  async trainingFile(scratch: string, eventType?: string): Promise<string | undefined> {
    const bulk = await exists(this.bulkFile);
    const stream = await exists(this.streamFile);
    if (!bulk && !stream) return undefined;
    if (!stream && eventType === undefined) return this.bulkFile;
    await mkdir(scratch, { recursive: true });
    const out = join(scratch, `${this.schema.datasetType}-${process.hrtime.bigint()}.csv`);
    const id = this.idColumn;
    if (id !== undefined) {
      const rows = await this.rowsById(this.bulkFile);
      for (const [key, line] of await this.rowsById(this.streamFile)) rows.set(key, line);
      await this.writeRows(out, rows.values());
      return out;
    }
    const typeAt = this.columns.indexOf('EVENT_TYPE');
    const keep =
      eventType === undefined || typeAt < 0
        ? () => true
        : (cells: readonly string[]) => cells[typeAt] === eventType;
    const writer = createWriteStream(out);
    writer.write(csvLine(this.columns));
    for (const file of [this.bulkFile, this.streamFile]) {
      if (await exists(file))
        await this.copyRows(file, (cells) => keep(cells) && writer.write(csvLine(cells)));
    }
    await ended(writer);
    return out;
  }

  private async headerOf(file: string): Promise<string> {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const text = buffer.toString('utf8', 0, bytesRead);
      const end = text.search(/\r?\n/);
      return (end < 0 ? text : text.slice(0, end)).trim();
    } finally {
      await handle.close();
    }
  }

  /** Streams `file`'s data rows reordered to the schema's columns. */
  private async copyRows(file: string, onRow: (cells: string[]) => void): Promise<void> {
    let positions: number[] | undefined;
    await scanCsvFile(file, (record: CsvRecord) => {
      if (positions === undefined) {
        const header = Array.from({ length: record.count }, (_, i) => record.text(i).trim());
        positions = this.columns.map((c) => header.indexOf(c));
        const missing = this.columns.filter((_, i) => positions![i]! < 0 && !this.schema.fields[i]!.nullable);
        if (missing.length > 0) {
          throw new InvalidInputError([
            { field: file, message: `Input CSV is missing the following columns: [${missing.join(', ')}]` },
          ]);
        }
        return;
      }
      onRow(positions.map((p) => (p < 0 || p >= record.count ? '' : record.text(p))));
    });
  }

  private async rowsById(file: string): Promise<Map<string, string>> {
    const at = this.columns.indexOf(this.idColumn ?? '');
    const rows = new Map<string, string>();
    if (await exists(file)) await this.copyRows(file, (cells) => rows.set(cells[at]!, csvLine(cells)));
    return rows;
  }

  private async writeRows(path: string, lines: Iterable<string>): Promise<void> {
    const temp = `${path}.tmp`;
    const out = createWriteStream(temp);
    out.write(csvLine(this.columns));
    for (const line of lines) out.write(line);
    await ended(out);
    await rename(temp, path);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
