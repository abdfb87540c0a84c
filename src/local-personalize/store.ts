import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError, ResourceNotFoundError } from '../errors.ts';
import { KINDS, type ResourceKind, type ResourceRecord } from './resources.ts';

const STATE_FILE = 'state.json';
const STATE_VERSION = 1;
/** Ids are the only variable part of a file path under the state folder: hex, made here. */
const ID = /^[0-9a-f]{16}$/;

export const newId = (): string => randomBytes(8).toString('hex');

/**
 * The control plane's resources: in memory, keyed by ARN resource part, and (with a folder) persisted as one
 * JSON file written atomically after each change, next to the per-resource folders `data/<id>/` (imported
 * dataset rows) and `models/<id>.model` (trained solution versions). Names and ARNs never become paths.
 */
export class StateStore {
  private readonly records = new Map<string, ResourceRecord>();
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  /** @param dir state folder; undefined keeps everything in memory (files then go to `scratchDir`). */
  constructor(
    readonly dir: string,
    private readonly persist: boolean,
  ) {}

  /** Reads the state file when there is one; returns the records loaded. */
  async load(): Promise<ResourceRecord[]> {
    await mkdir(this.dir, { recursive: true });
    if (!this.persist) return [];
    const text = await readFile(join(this.dir, STATE_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) return [];
    const file = join(this.dir, STATE_FILE);
    const state = parseState(text, file);
    if (state.version !== STATE_VERSION) {
      throw new Error(`${file}: unsupported state version ${state.version}`);
    }
    for (const record of state.resources) {
      if (ID.test(record.id) && Object.hasOwn(KINDS, record.kind)) this.records.set(record.key, record);
    }
    return [...this.records.values()];
  }

  has(key: string): boolean {
    return this.records.has(key);
  }

  find(key: string): ResourceRecord | undefined {
    return this.records.get(key);
  }

  /** The resource of `kind` at `key`; ResourceNotFoundError naming the ARN otherwise. */
  get(kind: ResourceKind, key: string, arn: string): ResourceRecord {
    const record = this.records.get(key);
    if (record === undefined || record.kind !== kind) {
      throw new ResourceNotFoundError(`${KINDS[kind].label} ${arn} does not exist`);
    }
    return record;
  }

  /** Resources of `kind` in creation order, optionally only the children of `parentArn`. */
  list(kind: ResourceKind, parentArn?: string): ResourceRecord[] {
    const out: ResourceRecord[] = [];
    for (const record of this.records.values()) {
      if (record.kind === kind && (parentArn === undefined || record.parentArn === parentArn))
        out.push(record);
    }
    return out;
  }

  put(record: ResourceRecord): void {
    this.records.set(record.key, record);
    this.changed();
  }

  remove(key: string): void {
    this.records.delete(key);
    this.changed();
  }

  /** Marks a record as modified in place (status, props) so the next save writes it. */
  touch(record: ResourceRecord): void {
    record.lastUpdatedDateTime = Date.now() / 1000;
    this.changed();
  }

  dataDir(id: string): string {
    return join(this.dir, 'data', checkedId(id));
  }

  modelFile(id: string): string {
    return join(this.dir, 'models', `${checkedId(id)}.model`);
  }

  scratchDir(): string {
    return join(this.dir, 'tmp');
  }

  /** Resolves once every change so far is on disk. */
  flush(): Promise<void> {
    return this.saving;
  }

  private changed(): void {
    if (!this.persist) return;
    this.dirty = true;
    // One write at a time; changes made while a write runs are picked up by the next one.
    this.saving = this.saving.then(() => this.write());
  }

  private async write(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const file = join(this.dir, STATE_FILE);
    const temp = `${file}.${process.pid}.tmp`;
    const text = JSON.stringify({ version: STATE_VERSION, resources: [...this.records.values()] });
    await writeFile(temp, text);
    await rename(temp, file);
  }
}

function checkedId(id: string): string {
  if (!ID.test(id)) throw new Error(`not a resource id: ${JSON.stringify(id)}`);
  return id;
}

/** Removes a resource's files; missing ones are fine. */
export async function removeFiles(...paths: string[]): Promise<void> {
  await Promise.all(paths.map((path) => rm(path, { recursive: true, force: true })));
}

/**
 * The state file's content. A file cut short (a crash mid-write on a disk without atomic rename) or edited by
 * hand is refused naming the file and the way out, before anything is served from it.
 */
function parseState(text: string, file: string): { version: number; resources: ResourceRecord[] } {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError([
      {
        field: file,
        message: `is not valid JSON (${(error as Error).message}); move it aside to start afresh, or pass --state <another folder>`,
      },
    ]);
  }
  if (
    typeof state !== 'object' ||
    state === null ||
    !Array.isArray((state as { resources?: unknown }).resources)
  ) {
    throw new InvalidInputError([
      {
        field: file,
        message:
          'is not a local Personalize state (no resources list); move it aside to start afresh, or pass --state <another folder>',
      },
    ]);
  }
  return state as { version: number; resources: ResourceRecord[] };
}
