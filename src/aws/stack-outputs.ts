import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { STACK_OUTPUTS, type StackOutputKey } from '../config/stack-outputs.ts';
import { ResourceNotFoundError } from '../errors.ts';
import { awsCall } from './aws-errors.ts';

export type StackOutputs = Readonly<Partial<Record<StackOutputKey, string>>>;

/** All outputs of a CloudFormation stack, by output key. A missing stack is a ResourceNotFoundError. */
export async function readStackOutputs(
  cloudFormation: CloudFormationClient,
  stackName: string,
): Promise<StackOutputs> {
  const missing = `stack ${stackName} does not exist (deploy it, or pass --stack)`;
  const reply = await awsCall(
    {
      action: 'cloudformation:DescribeStacks',
      resource: `stack ${stackName}`,
      notFound: (_, options) => new ResourceNotFoundError(missing, options),
    },
    () => cloudFormation.send(new DescribeStacksCommand({ StackName: stackName })),
  );
  const stack = reply.Stacks?.[0];
  if (!stack) throw new ResourceNotFoundError(missing);
  const outputs: Partial<Record<string, string>> = {};
  for (const o of stack.Outputs ?? []) if (o.OutputKey && o.OutputValue) outputs[o.OutputKey] = o.OutputValue;
  return outputs;
}

/** Overrides (from flags or config) first, then stack outputs; names the stack and the key when neither has it. */
export function requireOutput(
  outputs: StackOutputs,
  key: StackOutputKey,
  stackName: string,
  override?: string,
): string {
  const value = override ?? outputs[key];
  if (value === undefined || value === '') {
    throw new ResourceNotFoundError(
      `stack ${stackName} has no output ${key}: deploy a stack version that exports it, or pass it as a flag`,
    );
  }
  return value;
}

export { STACK_OUTPUTS };
