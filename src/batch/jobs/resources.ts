import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { PersonalizeClient } from '@aws-sdk/client-personalize';
import { asFolder, parseS3Uri, type S3Location } from '../../aws/s3-uri.ts';
import { readStackOutputs, requireOutput, type StackOutputs } from '../../aws/stack-outputs.ts';
import { STACK_OUTPUTS } from '../../config/stack-outputs.ts';
import { InvalidInputError } from '../../errors.ts';
import { isSegmentRecipe, type JobRecipe, RECIPE_NAMES } from './batch-limits.ts';
import { latestActiveVersion } from './solution-version.ts';

/** Values given on the command line win over the stack's outputs. */
export interface ResourceOverrides {
  readonly bucket?: string;
  readonly roleArn?: string;
  readonly inputPrefix?: string;
  readonly outputPrefix?: string;
  readonly solutionVersionArn?: string;
  readonly solutionArn?: string;
}

export interface BatchResources {
  readonly roleArn: string;
  readonly inputPrefix: S3Location;
  readonly outputPrefix: S3Location;
  readonly solutionVersionArn: string;
}

const SOLUTION_OUTPUT = {
  'user-personalization': STACK_OUTPUTS.userPersonalizationSolutionArn,
  sims: STACK_OUTPUTS.similarItemsSolutionArn,
  ranking: STACK_OUTPUTS.personalizedRankingSolutionArn,
} as const;

/** The stack's outputs, or none when every needed value was given as a flag (no AWS call then). */
export async function outputsFor(
  cloudFormation: CloudFormationClient,
  stackName: string,
  needed: readonly (string | undefined)[],
): Promise<StackOutputs> {
  return needed.every((v) => v !== undefined) ? {} : readStackOutputs(cloudFormation, stackName);
}

/** The stack's solution for the recipe; the stack trains no USER_SEGMENTATION solution. */
function stackSolutionArn(outputs: StackOutputs, stackName: string, recipe: JobRecipe): string {
  if (isSegmentRecipe(recipe)) {
    throw new InvalidInputError([
      {
        field: 'solution-version',
        message: `stack ${stackName} exports no ${RECIPE_NAMES[recipe]} solution: pass --solution-version or --solution`,
      },
    ]);
  }
  return requireOutput(outputs, SOLUTION_OUTPUT[recipe], stackName);
}

/**
 * The role, S3 prefixes and solution version of a batch job: flags first, then the stack outputs; the newest
 * ACTIVE version of the stack's (or the given) solution when no version is given. Segment jobs need
 * `--solution-version` or `--solution`: the stack exports no segmentation solution.
 */
export async function resolveBatchResources(
  clients: { readonly cloudFormation: CloudFormationClient; readonly personalize: PersonalizeClient },
  stackName: string,
  recipe: JobRecipe,
  overrides: ResourceOverrides,
): Promise<BatchResources> {
  const outputs = await outputsFor(clients.cloudFormation, stackName, [
    overrides.roleArn,
    overrides.inputPrefix,
    overrides.outputPrefix,
    overrides.solutionVersionArn ?? overrides.solutionArn,
  ]);
  const roleArn = requireOutput(outputs, STACK_OUTPUTS.personalizeRoleArn, stackName, overrides.roleArn);
  const inputPrefix = parseS3Uri(
    requireOutput(outputs, STACK_OUTPUTS.batchInputPrefix, stackName, overrides.inputPrefix),
    'inputPrefix',
  );
  const outputPrefix = parseS3Uri(
    requireOutput(outputs, STACK_OUTPUTS.batchOutputPrefix, stackName, overrides.outputPrefix),
    'outputPrefix',
  );
  let solutionVersionArn = overrides.solutionVersionArn;
  if (solutionVersionArn === undefined) {
    const solutionArn = overrides.solutionArn ?? stackSolutionArn(outputs, stackName, recipe);
    solutionVersionArn = await latestActiveVersion(clients.personalize, solutionArn);
  }
  return {
    roleArn,
    inputPrefix: asFolder(inputPrefix),
    outputPrefix: asFolder(outputPrefix),
    solutionVersionArn,
  };
}
