/** Input of the `Judge new version` step: the gate metric of the new and the live solution version. */
export interface MetricGateInput {
  readonly metricName: string;
  readonly newValue: number;
  readonly liveValue: number;
  /** How much lower (absolute) the new value may be and still be deployed. */
  readonly tolerance: number;
}

export interface MetricGateVerdict {
  readonly accept: boolean;
  readonly reason: string;
}

/**
 * Deploy a new version unless it is worse than the live one by more than the tolerance. Step Functions'
 * intrinsic math is integer-only, so this comparison of two fractions runs here.
 */
export function judge(input: MetricGateInput): MetricGateVerdict {
  const { metricName, newValue, liveValue, tolerance } = input;
  const floor = liveValue - tolerance;
  const accept = newValue >= floor;
  const relation = accept ? 'is at least' : 'is below';
  return {
    accept,
    reason: `${metricName} ${newValue} of the new version ${relation} ${floor} (live ${liveValue} - tolerance ${tolerance})`,
  };
}

export async function handler(input: MetricGateInput): Promise<MetricGateVerdict> {
  return judge(input);
}
