import { withRetries } from '../core/retry.ts';
import { isTransient } from '../errors.ts';
import type { EventLogRecord } from '../event-log/schema.ts';
import type { DeadLetter, EventConsumer } from './types.ts';

export interface DeliveryPolicy {
  /** Attempts per (sub-)batch for throttling and outages. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly random: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now: () => number;
}

/**
 * Hands a batch to one consumer: transient failures are retried with jittered backoff; a batch that still
 * fails is split in halves and each half delivered again (like Lambda's BisectBatchOnFunctionError), down
 * to single events, which become dead letters. So one poison event costs about log2(batch) extra calls,
 * and the rest of its batch is stored.
 */
export async function deliver(
  consumer: EventConsumer,
  batch: readonly EventLogRecord[],
  policy: DeliveryPolicy,
): Promise<DeadLetter[]> {
  try {
    await withRetries(() => consumer.consume(batch), {
      maxAttempts: policy.maxAttempts,
      baseDelayMs: policy.baseDelayMs,
      maxDelayMs: policy.maxDelayMs,
      deadline: Number.POSITIVE_INFINITY,
      isRetryable: isTransient,
      random: policy.random,
      ...(policy.sleep && { sleep: policy.sleep }),
    });
    return [];
  } catch (error) {
    if (batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      const [first, second] = [batch.slice(0, half), batch.slice(half)];
      return [...(await deliver(consumer, first, policy)), ...(await deliver(consumer, second, policy))];
    }
    const failure = error instanceof Error ? error : new Error(String(error));
    return [
      {
        consumer: consumer.name,
        record: batch[0]!,
        error: { name: failure.name, message: failure.message },
        failedAt: policy.now(),
      },
    ];
  }
}
