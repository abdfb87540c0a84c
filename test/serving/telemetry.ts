import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { vi } from 'vitest';

export interface RecordedMetric {
  readonly name: string;
  readonly value: number;
  readonly dimensions: Record<string, string>;
}

/**
 * A silent Powertools Logger and Metrics whose metrics are recorded (with the dimensions set on the same
 * instance, which is how `singleMetric()` works) instead of printed.
 */
export function recordingTelemetry() {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
  const recorded: RecordedMetric[] = [];
  const dimensions = new WeakMap<Metrics, Record<string, string>>();
  vi.spyOn(Metrics.prototype, 'addDimension').mockImplementation(function (this: Metrics, name, value) {
    dimensions.set(this, { ...dimensions.get(this), [name]: value });
    return this;
  });
  vi.spyOn(Metrics.prototype, 'addMetric').mockImplementation(function (this: Metrics, name, _unit, value) {
    recorded.push({ name, value, dimensions: dimensions.get(this) ?? {} });
    return this;
  });
  const warnings = vi.spyOn(logger, 'warn');
  const errors = vi.spyOn(logger, 'error');
  return { logger, metrics, recorded, warnings, errors };
}
