import { UnavailableError } from '../errors.ts';

/** Rejected without calling the backend: the circuit is open. */
export class CircuitOpenError extends UnavailableError {
  constructor() {
    super('circuit open: the backend failed repeatedly and is rested for a while');
    this.name = 'CircuitOpenError';
  }
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /**
   * Failures within `windowMs` that open the circuit.
   * @default 5
   */
  readonly failureThreshold?: number;
  /**
   * Rolling window in which failures are counted.
   * @default 10000
   */
  readonly windowMs?: number;
  /**
   * How long the circuit stays open before one probe call is let through.
   * @default 30000
   */
  readonly coolDownMs?: number;
  /** Which errors count as failures of the guarded backend (others, like bad input, do not). */
  readonly isFailure: (error: unknown) => boolean;
  readonly now?: () => number;
}

/**
 * Stops calling a failing backend: closed (calls pass, failures counted in a rolling window) → open after
 * `failureThreshold` failures (calls rejected with UnavailableError at once) → half-open after `coolDownMs`
 * (exactly one probe passes; its success closes the circuit, its failure opens it again).
 */
export class CircuitBreaker {
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly coolDownMs: number;
  private readonly isFailure: (error: unknown) => boolean;
  private readonly now: () => number;
  private failures: number[] = [];
  private openedAt: number | undefined;
  private probing = false;

  constructor(options: CircuitBreakerOptions) {
    this.threshold = options.failureThreshold ?? 5;
    this.windowMs = options.windowMs ?? 10_000;
    this.coolDownMs = options.coolDownMs ?? 30_000;
    this.isFailure = options.isFailure;
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.coolDownMs ? 'half-open' : 'open';
  }

  /** Runs `call` unless the circuit is open (or half-open with its probe already under way). */
  async run<T>(call: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.probing)) {
      throw new CircuitOpenError();
    }
    const isProbe = state === 'half-open';
    if (isProbe) this.probing = true;
    try {
      const result = await call();
      if (isProbe) this.close();
      return result;
    } catch (error) {
      if (this.isFailure(error)) this.recordFailure(isProbe);
      else if (isProbe) this.close();
      throw error;
    } finally {
      if (isProbe) this.probing = false;
    }
  }

  private recordFailure(isProbe: boolean): void {
    const now = this.now();
    if (isProbe) {
      this.openedAt = now;
      return;
    }
    this.failures = this.failures.filter((t) => now - t < this.windowMs);
    this.failures.push(now);
    if (this.failures.length >= this.threshold) {
      this.openedAt = now;
      this.failures = [];
    }
  }

  private close(): void {
    this.openedAt = undefined;
    this.failures = [];
  }
}
