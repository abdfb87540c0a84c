import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cfn-lint 1.51's resource specification predates the 2026 schemas aws-cdk-lib 2.276 generates from: it
 * knows neither AWS::Personalize::EventTracker/Filter (E3006) nor `Tags` on the older Personalize types and
 * on CloudWatch dashboards (E3002). Only those checks, only on those types, are switched off.
 */
const STALE_SPEC_CHECKS: readonly { readonly typePrefix: string; readonly checks: readonly string[] }[] = [
  { typePrefix: 'AWS::Personalize::', checks: ['E3002', 'E3006'] },
  { typePrefix: 'AWS::CloudWatch::Dashboard', checks: ['E3002'] },
];

export function exemptFromStaleLintSpec(scope: IConstruct): void {
  for (const construct of scope.node.findAll()) {
    if (!(construct instanceof CfnResource)) continue;
    const rule = STALE_SPEC_CHECKS.find((r) => construct.cfnResourceType.startsWith(r.typePrefix));
    if (rule) construct.addMetadata('cfn-lint', { config: { ignore_checks: rule.checks } });
  }
}
