import { describe, expect, it } from 'vitest';
import { InvalidInputError, UnavailableError } from '../../src/errors.ts';
import { CircuitBreaker, CircuitOpenError } from '../../src/serving/circuit-breaker.ts';

function breaker() {
  const clock = { now: 0 };
  const circuit = new CircuitBreaker({
    failureThreshold: 3,
    windowMs: 1000,
    coolDownMs: 5000,
    isFailure: (e) => e instanceof UnavailableError,
    now: () => clock.now,
  });
  return { circuit, clock };
}

const fail = () => Promise.reject(new UnavailableError('down'));
const succeed = () => Promise.resolve('ok');

describe('Class: CircuitBreaker', () => {
  it('opens after the threshold of failures within the window, then rejects without calling', async () => {
    const { circuit } = breaker();
    for (let i = 0; i < 3; i++) await expect(circuit.run(fail)).rejects.toThrow('down');
    expect(circuit.state).toBe('open');
    let called = false;
    await expect(
      circuit.run(async () => {
        called = true;
      }),
    ).rejects.toBeInstanceOf(CircuitOpenError);
    expect(called).toBe(false);
  });

  it('forgets failures that left the rolling window', async () => {
    const { circuit, clock } = breaker();
    await expect(circuit.run(fail)).rejects.toThrow();
    await expect(circuit.run(fail)).rejects.toThrow();
    clock.now = 1500;
    await expect(circuit.run(fail)).rejects.toThrow();
    expect(circuit.state).toBe('closed');
  });

  it('does not count errors that are not failures of the backend', async () => {
    const { circuit } = breaker();
    for (let i = 0; i < 5; i++) {
      await expect(circuit.run(() => Promise.reject(new InvalidInputError('bad')))).rejects.toThrow();
    }
    expect(circuit.state).toBe('closed');
  });

  it('half-opens after the cool-down, lets one probe through, and closes on its success', async () => {
    const { circuit, clock } = breaker();
    for (let i = 0; i < 3; i++) await expect(circuit.run(fail)).rejects.toThrow();
    clock.now = 5000;
    expect(circuit.state).toBe('half-open');
    let release: (v: string) => void = () => undefined;
    const probe = circuit.run(() => new Promise<string>((resolve) => (release = resolve)));
    // A second call while the probe is in flight is rejected.
    await expect(circuit.run(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
    release('ok');
    await expect(probe).resolves.toBe('ok');
    expect(circuit.state).toBe('closed');
    await expect(circuit.run(succeed)).resolves.toBe('ok');
  });

  it('opens again when the probe fails', async () => {
    const { circuit, clock } = breaker();
    for (let i = 0; i < 3; i++) await expect(circuit.run(fail)).rejects.toThrow();
    clock.now = 5000;
    await expect(circuit.run(fail)).rejects.toThrow('down');
    expect(circuit.state).toBe('open');
    clock.now = 9999;
    expect(circuit.state).toBe('open');
    clock.now = 10_000;
    expect(circuit.state).toBe('half-open');
  });
});
