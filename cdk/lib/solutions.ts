import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnSolution } from 'aws-cdk-lib/aws-personalize';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { ResourceNames } from '../config/names.ts';
import { type AppConfig, SOLUTION_KEYS, type SolutionKey } from '../config/schema.ts';

/** One configured solution, with the campaign name the workflow will create for it. */
export interface DeployedSolution {
  readonly key: SolutionKey;
  readonly solution: CfnSolution;
  /**
   * Built from the solution's name, not read from the resource: other stacks use it, and a settings change
   * replaces the solution under a new name, which an export another stack imports would block.
   */
  readonly solutionArn: string;
  readonly campaignName: string;
  readonly campaignArn: string;
  readonly minProvisionedTps: number;
}

export interface SolutionsProps {
  readonly config: AppConfig;
  readonly names: ResourceNames;
  readonly datasetGroupArn: string;
}

/**
 * The configured solutions. CfnSolution has no `performAutoTraining` and the API default is true (a new,
 * billed version every 7 days), so a custom resource sets it with UpdateSolution after each create/update.
 */
export class Solutions extends Construct {
  readonly deployed: readonly DeployedSolution[];

  constructor(scope: Construct, id: string, props: SolutionsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.deployed = SOLUTION_KEYS.flatMap((key) => {
      const settings = props.config.solutions[key];
      if (!settings) return [];
      const solution = new CfnSolution(this, key, {
        name: props.names.solution(key),
        datasetGroupArn: props.datasetGroupArn,
        recipeArn: settings.recipeArn,
        eventType: settings.eventType,
        performHpo: settings.performHpo,
        solutionConfig: {
          algorithmHyperParameters: settings.algorithmHyperParameters,
          featureTransformationParameters: settings.featureTransformationParameters,
        },
      });
      this.setAutoTraining(key, solution, settings.performAutoTraining);
      const campaignName = props.names.campaign(key);
      return [
        {
          key,
          solution,
          solutionArn: stack.formatArn({
            service: 'personalize',
            resource: 'solution',
            resourceName: props.names.solution(key),
          }),
          campaignName,
          campaignArn: stack.formatArn({
            service: 'personalize',
            resource: 'campaign',
            resourceName: campaignName,
          }),
          minProvisionedTps: settings.campaign.minProvisionedTps,
        },
      ];
    });
  }

  private setAutoTraining(key: SolutionKey, solution: CfnSolution, performAutoTraining: boolean): void {
    const call = {
      service: 'Personalize',
      action: 'UpdateSolution',
      parameters: { solutionArn: solution.attrSolutionArn, performAutoTraining },
      physicalResourceId: PhysicalResourceId.of(`${solution.name}:autotraining`),
    };
    new AwsCustomResource(this, `${key}AutoTraining`, {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          actions: ['personalize:UpdateSolution'],
          resources: [solution.attrSolutionArn],
        }),
      ]),
    });
  }
}
