import type * as z from 'zod/mini';
import { ResourceInUseError } from '../errors.ts';
import { parseOrThrow } from '../recommender/request-validation.ts';
import { englishMessages } from '../recommender/zod-english.ts';
import { type AccountConfig, arnOf, DEFAULT_ACCOUNT, resourceKey } from './arn.ts';
import { ResourceAlreadyExistsError, UnknownOperationError } from './errors.ts';
import { Lifecycle } from './lifecycle.ts';
import { paginate } from './pagination.ts';
import { describe, KINDS, type ResourceKind, type ResourceRecord, summarize, type Tag } from './resources.ts';
import type { S3Objects } from './s3-objects.ts';
import { ServedModels } from './served-models.ts';
import { newId, StateStore } from './store.ts';
import { WarmWorker } from './trainer.ts';

export interface LocalPersonalizeOptions {
  /** Folder of the state file, imported data and model files. */
  readonly stateDir: string;
  /** Where import and batch jobs read and write `s3://` locations. */
  readonly s3: S3Objects;
  /** Duration of each status step. @default 0 */
  readonly latencyMs?: number;
  /** @default DEFAULT_ACCOUNT (us-east-1, 000000000000) */
  readonly account?: AccountConfig;
  /** Train solution versions on a worker thread, keeping the server responsive. @default true */
  readonly trainInWorker?: boolean;
  /** Told every status change (tests follow lifecycles with it). */
  readonly onTransition?: (record: ResourceRecord, status: string) => void;
}

export type OperationResult = Record<string, unknown>;
export type Operation = (plane: LocalPersonalize, body: unknown) => Promise<OperationResult>;

/** Statuses in which a resource still counts as working (not usable, not finished). */
export const PENDING = new Set(['CREATE PENDING', 'CREATE IN_PROGRESS', 'PENDING', 'IN PROGRESS']);
export const DELETING = new Set(['DELETE PENDING', 'DELETE IN_PROGRESS']);

/**
 * A local Amazon Personalize control plane: the resources of one account with Personalize's names, ARNs,
 * status lifecycles and errors, backed by the local engine. `call` runs one awsJson1_1 operation.
 */
export class LocalPersonalize {
  readonly store: StateStore;
  readonly s3: S3Objects;
  readonly account: AccountConfig;
  readonly lifecycle: Lifecycle;
  readonly served: ServedModels;
  /** Where solution versions train; undefined trains on the calling thread. */
  readonly trainers: WarmWorker | undefined;
  private readonly operations: Readonly<Record<string, Operation>>;
  private readonly onTransition: LocalPersonalizeOptions['onTransition'];

  private constructor(options: LocalPersonalizeOptions, operations: Readonly<Record<string, Operation>>) {
    this.store = new StateStore(options.stateDir, true);
    this.s3 = options.s3;
    this.account = options.account ?? DEFAULT_ACCOUNT;
    this.lifecycle = new Lifecycle(options.latencyMs ?? 0);
    this.trainers = (options.trainInWorker ?? true) ? new WarmWorker() : undefined;
    this.onTransition = options.onTransition;
    this.operations = operations;
    this.served = new ServedModels(this);
  }

  /** Opens the state folder; work a previous run left unfinished is resumed or marked failed (see `recover`). */
  static async open(
    options: LocalPersonalizeOptions,
    operations: Readonly<Record<string, Operation>>,
    recover: (plane: LocalPersonalize, record: ResourceRecord) => void,
  ): Promise<LocalPersonalize> {
    const plane = new LocalPersonalize(options, operations);
    for (const record of await plane.store.load()) recover(plane, record);
    return plane;
  }

  /** Runs one operation (`CreateDatasetGroup`, …); throws the toolkit's typed errors. */
  call(operation: string, body: unknown): Promise<OperationResult> {
    const run = Object.hasOwn(this.operations, operation) ? this.operations[operation] : undefined;
    if (run === undefined) {
      return Promise.reject(
        new UnknownOperationError(`operation ${operation} is not supported by local Personalize`),
      );
    }
    return run(this, body);
  }

  async close(): Promise<void> {
    await this.lifecycle.close();
    await this.served.close();
    await this.trainers?.close();
    await this.store.flush();
  }

  /** zod words the issues of the few members whose shapes carry no message of their own. */
  parse<T extends z.ZodMiniType>(schema: T, body: unknown): z.output<T> {
    return parseOrThrow(schema, body ?? {}, { error: englishMessages });
  }

  arn(resource: string): string {
    return arnOf(this.account, resource);
  }

  /** The resource of `kind` an ARN member names; InvalidInput for a malformed ARN, ResourceNotFound otherwise. */
  lookup(kind: ResourceKind, arn: string, field: string = KINDS[kind].arnMember): ResourceRecord {
    return this.store.get(kind, resourceKey(arn, field), arn);
  }

  /** A parent must be ACTIVE to take children (ResourceInUseException otherwise). */
  requireActive(record: ResourceRecord): void {
    if (record.status !== 'ACTIVE') {
      throw new ResourceInUseError(
        `${KINDS[record.kind].label} ${record.arn} is ${record.status}, it must be ACTIVE`,
      );
    }
  }

  /** Stores a new resource in CREATE PENDING (or ACTIVE for status-less kinds); names are unique per kind. */
  create(
    kind: ResourceKind,
    init: {
      resource: string;
      name: string;
      parentArn?: string;
      props: Record<string, unknown>;
      tags?: Tag[];
    },
  ): ResourceRecord {
    if (
      this.store.has(init.resource) ||
      (init.name !== '' && this.store.list(kind).some((r) => r.name === init.name))
    ) {
      throw new ResourceAlreadyExistsError(
        `${KINDS[kind].label} ${init.name || init.resource} already exists`,
      );
    }
    const now = Date.now() / 1000;
    const record: ResourceRecord = {
      kind,
      arn: this.arn(init.resource),
      key: init.resource,
      id: newId(),
      name: init.name,
      ...(init.parentArn !== undefined && { parentArn: init.parentArn }),
      status: KINDS[kind].statusless ? 'ACTIVE' : 'CREATE PENDING',
      creationDateTime: now,
      lastUpdatedDateTime: now,
      tags: init.tags ?? [],
      props: init.props,
    };
    this.store.put(record);
    this.onTransition?.(record, record.status);
    return record;
  }

  setStatus(record: ResourceRecord, status: string, failureReason?: string): void {
    record.status = status;
    if (failureReason !== undefined) record.failureReason = failureReason;
    this.store.touch(record);
    this.onTransition?.(record, status);
  }

  /**
   * CREATE PENDING → CREATE IN_PROGRESS → (work) → ACTIVE, or CREATE FAILED with the work's error as
   * failureReason; each step takes the configured latency. `done` runs after ACTIVE (e.g. metrics).
   */
  advance(record: ResourceRecord, work?: () => Promise<void>, statuses = CREATE_STATUSES): void {
    this.lifecycle.spawn(
      async () => {
        await this.lifecycle.step();
        this.setStatus(record, statuses.running);
        try {
          await work?.();
        } catch (error) {
          if (this.lifecycle.closed) throw error;
          this.setStatus(record, statuses.failed, error instanceof Error ? error.message : String(error));
          return;
        }
        if (record.status !== statuses.running) return;
        await this.lifecycle.step();
        this.setStatus(record, 'ACTIVE');
      },
      (error) => this.setStatus(record, statuses.failed, String(error)),
    );
  }

  /** DELETE PENDING → DELETE IN_PROGRESS → gone, then `cleanup` removes its files and children. */
  destroy(record: ResourceRecord, cleanup: () => Promise<void> = async () => {}): void {
    this.setStatus(record, 'DELETE PENDING');
    this.lifecycle.spawn(
      async () => {
        await this.lifecycle.step();
        this.setStatus(record, 'DELETE IN_PROGRESS');
        await this.lifecycle.step();
        await cleanup();
        this.store.remove(record.key);
        this.onTransition?.(record, 'DELETED');
      },
      (error) => console.error(`local personalize: deleting ${record.arn} failed`, error),
    );
  }

  /** ResourceInUseException when the resource is being deleted already. */
  requireNotDeleting(record: ResourceRecord): void {
    if (DELETING.has(record.status)) {
      throw new ResourceInUseError(`${KINDS[record.kind].label} ${record.arn} is ${record.status}`);
    }
  }

  describeOf(record: ResourceRecord): OperationResult {
    return { [KINDS[record.kind].describeKey]: describe(record) };
  }

  listOf(
    kind: ResourceKind,
    records: readonly ResourceRecord[],
    request: { nextToken?: string | undefined; maxResults?: number | undefined },
    listing: string,
  ): OperationResult {
    // Newest first, as the service lists.
    const ordered = [...records].sort((a, b) => b.creationDateTime - a.creationDateTime);
    const { page, nextToken } = paginate(ordered, request, `${kind}:${listing}`);
    return { [KINDS[kind].listKey]: page.map(summarize), ...(nextToken !== undefined && { nextToken }) };
  }
}

export const CREATE_STATUSES = { running: 'CREATE IN_PROGRESS', failed: 'CREATE FAILED' } as const;
