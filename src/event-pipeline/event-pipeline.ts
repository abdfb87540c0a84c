import { ThrottledError } from '../errors.ts';
import type { EventLogRecord } from '../event-log/schema.ts';
import { type DeliveryPolicy, deliver } from './deliver.ts';
import type { DeadLetter, EventConsumer } from './types.ts';

export interface EventPipelineOptions {
  /** Every consumer receives every event (fan-out), each batch in the order published. */
  readonly consumers: readonly EventConsumer[];
  /**
   * Events the stream holds before `offer` refuses and `publish` waits.
   * @default 100_000
   */
  readonly capacity?: number;
  /**
   * Most events handed to a consumer at once.
   * @default 1000
   */
  readonly batchSize?: number;
  /**
   * Attempts per batch for throttling and outages before it is split.
   * @default 3
   */
  readonly maxAttempts?: number;
  /** @default 50 */
  readonly baseDelayMs?: number;
  /** @default 2000 */
  readonly maxDelayMs?: number;
  /**
   * Dead letters kept in `deadLetters` (the oldest are dropped beyond it; `onDeadLetter` sees them all).
   * @default 10_000
   */
  readonly maxDeadLetters?: number;
  /** Told each dead letter, e.g. to persist it. @default - none */
  readonly onDeadLetter?: (letter: DeadLetter) => void;
  /** Uniform [0, 1) jitter source. @default Math.random */
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface PipelineStats {
  readonly published: number;
  /** Events handled (stored or dead-lettered) by every consumer. */
  readonly delivered: number;
  readonly deadLettered: number;
  /** Events waiting in the stream. */
  readonly pending: number;
}

/**
 * The event stream inside one process (what Kinesis and its consumers are in the cloud): a bounded queue of
 * events, drained in batches to every consumer with at-least-once delivery. A batch leaves the queue once
 * each consumer has stored it or dead-lettered what it could not take, so a slow consumer holds the others
 * back (lockstep keeps memory bounded). Events are lost only if the process dies with them queued.
 */
export class EventPipeline {
  private readonly consumers: readonly EventConsumer[];
  private readonly capacity: number;
  private readonly batchSize: number;
  private readonly maxDeadLetters: number;
  private readonly onDeadLetter: ((letter: DeadLetter) => void) | undefined;
  private readonly policy: DeliveryPolicy;
  private readonly queue: EventLogRecord[][] = [];
  private queued = 0;
  private readonly letters: DeadLetter[] = [];
  private counts = { published: 0, delivered: 0, deadLettered: 0 };
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly spaceWaiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  /** Resolved once `delivered` reaches `upTo` (the queue is FIFO, so that covers every earlier event). */
  private readonly deliveryWaiters: { upTo: number; resolve: () => void }[] = [];
  private stopping = false;

  constructor(options: EventPipelineOptions) {
    this.consumers = options.consumers;
    this.capacity = options.capacity ?? 100_000;
    this.batchSize = options.batchSize ?? 1000;
    this.maxDeadLetters = options.maxDeadLetters ?? 10_000;
    this.onDeadLetter = options.onDeadLetter;
    this.policy = {
      maxAttempts: options.maxAttempts ?? 3,
      baseDelayMs: options.baseDelayMs ?? 50,
      maxDelayMs: options.maxDelayMs ?? 2000,
      random: options.random ?? Math.random,
      ...(options.sleep && { sleep: options.sleep }),
      now: options.now ?? Date.now,
    };
    for (const [name, value] of Object.entries({
      capacity: this.capacity,
      batchSize: this.batchSize,
      maxAttempts: this.policy.maxAttempts,
    })) {
      if (!(Number.isInteger(value) && value > 0)) {
        throw new RangeError(`EventPipeline: ${name} must be a positive integer, got ${value}`);
      }
    }
  }

  /** Starts delivering; events published before are delivered too. */
  start(): void {
    this.stopping = false;
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
  }

  /** Waits until everything queued is delivered, then stops. */
  async stop(): Promise<void> {
    if (this.queued > 0) this.start();
    await this.drained();
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  /** Queues the events if there is room for all of them; ThrottledError otherwise (resending is safe). */
  offer(records: readonly EventLogRecord[]): void {
    if (records.length === 0) return;
    if (this.queued + records.length > this.capacity && this.queued > 0) {
      throw new ThrottledError(
        `event stream full: ${this.queued} of ${this.capacity} events waiting; send again shortly`,
      );
    }
    this.queue.push(records.slice());
    this.queued += records.length;
    this.counts.published += records.length;
    this.wake?.();
  }

  /** Queues the events, waiting for room first (backpressure). */
  async publish(records: readonly EventLogRecord[]): Promise<void> {
    while (this.queued > 0 && this.queued + records.length > this.capacity) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    this.offer(records);
  }

  /**
   * Queues the events (waiting for room) and resolves once every consumer has handled them, stored or
   * dead-lettered: for callers whose next read must see them (the local engine answers from its events).
   */
  async publishAndWait(records: readonly EventLogRecord[]): Promise<void> {
    await this.publish(records);
    const upTo = this.counts.published;
    if (this.counts.delivered >= upTo) return;
    await new Promise<void>((resolve) => this.deliveryWaiters.push({ upTo, resolve }));
  }

  /** Resolves once every event queued so far has been delivered. */
  drained(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Events no consumer could take, oldest first (at most `maxDeadLetters`). */
  get deadLetters(): readonly DeadLetter[] {
    return this.letters;
  }

  get stats(): PipelineStats {
    return { ...this.counts, pending: this.queued };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      if (this.queued === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
        continue;
      }
      const batch = this.peek();
      const letters = await Promise.all(this.consumers.map((c) => deliver(c, batch, this.policy)));
      for (const letter of letters.flat()) this.deadLetter(letter);
      this.take(batch.length);
    }
  }

  /** Up to `batchSize` of the oldest queued events, left in the queue until delivered. */
  private peek(): EventLogRecord[] {
    const first = this.queue[0]!;
    if (first.length >= this.batchSize) return first.slice(0, this.batchSize);
    const batch = first.slice();
    for (let i = 1; i < this.queue.length && batch.length < this.batchSize; i++) {
      const next = this.queue[i]!;
      const room = this.batchSize - batch.length;
      for (let j = 0; j < Math.min(room, next.length); j++) batch.push(next[j]!);
    }
    return batch;
  }

  private take(count: number): void {
    let left = count;
    while (left > 0) {
      const first = this.queue[0]!;
      if (first.length <= left) {
        this.queue.shift();
        left -= first.length;
      } else {
        this.queue[0] = first.slice(left);
        left = 0;
      }
    }
    this.queued -= count;
    this.counts.delivered += count;
    for (const resolve of this.spaceWaiters.splice(0)) resolve();
    while (this.deliveryWaiters.length > 0 && this.deliveryWaiters[0]!.upTo <= this.counts.delivered) {
      this.deliveryWaiters.shift()!.resolve();
    }
    if (this.queued === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private deadLetter(letter: DeadLetter): void {
    this.counts.deadLettered++;
    this.letters.push(letter);
    if (this.letters.length > this.maxDeadLetters) this.letters.shift();
    try {
      this.onDeadLetter?.(letter);
    } catch {
      // The letter is kept in `deadLetters`; a failing observer must not stop delivery.
    }
  }
}
