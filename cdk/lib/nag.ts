import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { Provider } from 'aws-cdk-lib/custom-resources';
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

/**
 * The findings the CDK Provider framework itself raises: it invokes any version of its handlers, and its
 * waiter state machine is CDK's, without logging or tracing settings to choose.
 */
export function acknowledgeProviderFramework(provider: Provider, handlers: readonly IConstruct[]): void {
  acknowledgeNag(
    provider,
    'IAM5',
    'the CDK Provider framework invokes any version of its own handler functions',
    [...handlers, ...provider.node.findAll().filter((c) => c.node.id.startsWith('framework-'))].map(
      (fn) => `Resource::${nagArnOf(fn)}:*`,
    ),
  );
  acknowledgeNag(provider, 'SF1', 'the Provider framework’s waiter state machine is managed by CDK');
  acknowledgeNag(provider, 'SF2', 'the Provider framework’s waiter state machine is managed by CDK');
}
