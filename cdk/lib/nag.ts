import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges a cdk-nag AwsSolutions rule on `scope` and its children. Rules that report findings
 * (IAM4, IAM5) are acknowledged per finding, so a new, unreviewed wildcard still fails synth.
 */
export function acknowledgeNag(
  scope: IConstruct,
  rule: string,
  reason: string,
  findings: readonly string[] = [],
): void {
  const ids =
    findings.length === 0 ? [`AwsSolutions-${rule}`] : findings.map((f) => `AwsSolutions-${rule}[${f}]`);
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/** How cdk-nag prints `Fn::GetAtt [X, Arn]` in a finding: `<LogicalId.Arn>`. */
export function nagArnOf(construct: IConstruct): string {
  const resource = construct.node.defaultChild as CfnElement;
  return `<${Stack.of(construct).getLogicalId(resource)}.Arn>`;
}

export const LAMBDA_BASIC_EXECUTION =
  'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/** The managed policy every CDK-made Lambda role gets; it only lets the function write its own logs. */
export function acknowledgeLambdaBasicExecution(scope: IConstruct): void {
  acknowledgeNag(
    scope,
    'IAM4',
    'AWSLambdaBasicExecutionRole only lets a function write its own log streams',
    [LAMBDA_BASIC_EXECUTION],
  );
}
