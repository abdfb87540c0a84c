import type { EventLogRecord } from '../event-log/schema.ts';

/**
 * A reader of the event stream. Delivery is at least once: the same batch (or part of it) may come again
 * after a failure, so `consume` must be idempotent per event id. Throw ThrottledError or UnavailableError
 * for failures worth retrying; any other error marks the batch as holding a poison event.
 */
export interface EventConsumer {
  /** Names the consumer in dead letters and stats. */
  readonly name: string;
  consume(batch: readonly EventLogRecord[]): Promise<void>;
}

/** An event one consumer could not take, even alone. */
export interface DeadLetter {
  readonly consumer: string;
  readonly record: EventLogRecord;
  readonly error: { readonly name: string; readonly message: string };
  /** Epoch milliseconds. */
  readonly failedAt: number;
}
