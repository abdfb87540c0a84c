import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSolution } from 'aws-cdk-lib/aws-personalize';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { DefinitionBody, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { DeployedSolution } from '../../cdk/lib/solutions.ts';
import { trainingDefinition } from '../../cdk/lib/workflow/training-workflow.ts';

/** A bare stack holding only the training state machine (no bundling), built by the same code as the app. */
export function trainingWorkflowStack(options: { tolerance: number }): Stack {
  // No built-in template validation (see templates-fixture.ts): the tests read the definition and policies.
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Workflow', { env: { account: '123456789012', region: 'us-east-1' } });
  const fn = (name: string) =>
    LambdaFunction.fromFunctionArn(stack, name, `arn:aws:lambda:us-east-1:123456789012:function:${name}`);
  const solution = new CfnSolution(stack, 'Solution', {
    name: 'p-user-personalization-dev-abc',
    datasetGroupArn: 'arn:aws:personalize:us-east-1:123456789012:dataset-group/p-dsg-dev',
  });
  const solutions: DeployedSolution[] = [
    {
      key: 'userPersonalization',
      solution,
      solutionArn: 'arn:aws:personalize:us-east-1:123456789012:solution/p-user-personalization-dev-abc',
      campaignName: 'p-user-personalization-dev',
      campaignArn: 'arn:aws:personalize:us-east-1:123456789012:campaign/p-user-personalization-dev',
      minProvisionedTps: 1,
    },
  ];
  new StateMachine(stack, 'Training', {
    stateMachineName: 'p-dev-training',
    definitionBody: DefinitionBody.fromChainable(
      trainingDefinition(stack, {
        validateData: fn('validate'),
        trainLocalModel: fn('train-local'),
        metricGate: fn('metric-gate'),
        topic: new Topic(stack, 'Topic'),
        bucket: Bucket.fromBucketName(stack, 'Data', 'data-bucket'),
        importPrefix: 'import/',
        personalizeRoleArn: 'arn:aws:iam::123456789012:role/personalize',
        datasetArns: ['arn:aws:personalize:us-east-1:123456789012:dataset/p-dsg-dev/INTERACTIONS'],
        solutions,
        jobNamePrefix: 'p-dev-',
        metricName: 'normalized_discounted_cumulative_gain_at_10',
        tolerance: options.tolerance,
        stateMachineName: 'p-dev-training',
      }),
    ),
  });
  return stack;
}
