import { rmSync } from 'node:fs';
import { Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { resolveIntrinsics } from './definition.ts';
import { trainingWorkflowStack } from './training-workflow-stack.ts';

type Statement = { Action: string | string[]; Resource: unknown };

/** IAM's ARN match: `*` spans any characters (including `/`), `?` one. */
function iamMatches(pattern: string, arn: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(arn);
}

describe('Training workflow IAM', () => {
  const stack = trainingWorkflowStack({ tolerance: 0.01 });
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  rmSync(Stage.of(stack)!.outdir, { recursive: true, force: true });
  const statements = Object.values(policies).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
  const resourcesOf = (action: string): string[] =>
    statements
      .filter((s) => [s.Action].flat().includes(action))
      .flatMap((s) => [s.Resource].flat().map((r) => resolveIntrinsics(r as never)));

  const solution = 'arn:aws:personalize:us-east-1:123456789012:solution/p-user-personalization-dev-abc';
  const version = `${solution}/0123abcd`;

  it.each(['personalize:DescribeSolutionVersion', 'personalize:GetSolutionMetrics'])(
    '%s is granted on both solution/<name> and solution/<name>/<version>',
    (action) => {
      const resources = resourcesOf(action);
      expect(resources.length).toBeGreaterThan(0);
      expect(resources.some((r) => iamMatches(r, version))).toBe(true);
      expect(resources.some((r) => iamMatches(r, solution))).toBe(true);
      // Scoped to this deployment's solutions, not every solution of the account.
      expect(resources.some((r) => iamMatches(r, `${solution.replace('p-user', 'other')}`))).toBe(false);
    },
  );

  it('CreateSolutionVersion is granted on the solution', () => {
    expect(resourcesOf('personalize:CreateSolutionVersion').some((r) => iamMatches(r, solution))).toBe(true);
  });
});
