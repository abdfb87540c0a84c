import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

type Intrinsic =
  | string
  | { Ref: string }
  | { 'Fn::GetAtt': [string, string] }
  | { 'Fn::ImportValue': string }
  | { 'Fn::Join': [string, Intrinsic[]] };

/** Replaces CloudFormation intrinsics with stable fake values, so a definition can run locally. */
export function resolveIntrinsics(value: Intrinsic): string {
  if (typeof value === 'string') return value;
  if ('Ref' in value) {
    if (value.Ref === 'AWS::Partition') return 'aws';
    if (value.Ref === 'AWS::Region') return 'us-east-1';
    if (value.Ref === 'AWS::AccountId') return '123456789012';
    return `ref-${value.Ref}`;
  }
  if ('Fn::GetAtt' in value) {
    const [logicalId, attribute] = value['Fn::GetAtt'];
    return attribute === 'Arn'
      ? `arn:aws:lambda:us-east-1:123456789012:function:${logicalId}`
      : `arn:aws:personalize:us-east-1:123456789012:${attribute}/${logicalId}`;
  }
  if ('Fn::ImportValue' in value) return `import-${value['Fn::ImportValue']}`;
  const [separator, parts] = value['Fn::Join'];
  return parts.map(resolveIntrinsics).join(separator);
}

/** The Amazon States Language definition of the only state machine in `stack`. */
export function stateMachineDefinition(stack: Stack): Record<string, unknown> {
  const machines = Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine');
  const [machine] = Object.values(machines) as { Properties: { DefinitionString: Intrinsic } }[];
  return JSON.parse(resolveIntrinsics(machine!.Properties.DefinitionString));
}
