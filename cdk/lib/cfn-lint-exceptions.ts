import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cfn-lint 1.51's resource specification predates the 2026 schemas aws-cdk-lib 2.276 generates from: it
 * knows neither AWS::Personalize::EventTracker nor Filter (E3006: unknown type, so no property checks run on
 * them), and it lacks `Tags` on the older Personalize types and on CloudWatch dashboards (E3002). Each type is
 * excused only from the check it fails; removing any entry makes `cfn-lint` report that error on the
 * synthesized templates (checked with cfn-lint 1.51.0; test/cdk/cfn-lint-exceptions.test.ts pins the list).
 */
export const STALE_SPEC_CHECKS: Readonly<Record<string, readonly string[]>> = {
  'AWS::Personalize::DatasetGroup': ['E3002'],
  'AWS::Personalize::Schema': ['E3002'],
  'AWS::Personalize::Solution': ['E3002'],
  'AWS::Personalize::EventTracker': ['E3006'],
  'AWS::Personalize::Filter': ['E3006'],
  'AWS::CloudWatch::Dashboard': ['E3002'],
};

export function exemptFromStaleLintSpec(scope: IConstruct): void {
  for (const construct of scope.node.findAll()) {
    if (!(construct instanceof CfnResource)) continue;
    const checks = STALE_SPEC_CHECKS[construct.cfnResourceType];
    if (checks) construct.addMetadata('cfn-lint', { config: { ignore_checks: checks } });
  }
}
