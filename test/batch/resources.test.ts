import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListSolutionVersionsCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { readStackOutputs } from '../../src/aws/stack-outputs.ts';
import { resolveBatchResources } from '../../src/batch/jobs/resources.ts';
import { InvalidInputError, ResourceNotFoundError } from '../../src/errors.ts';
import { awsError } from './aws-mocks.ts';

const cf = mockClient(CloudFormationClient);
const personalize = mockClient(PersonalizeClient);
const clients = { cloudFormation: new CloudFormationClient({}), personalize: new PersonalizeClient({}) };
afterEach(() => {
  cf.reset();
  personalize.reset();
});

const outputs = (values: Record<string, string>) => ({
  Stacks: [
    {
      StackName: 's',
      StackStatus: 'CREATE_COMPLETE' as const,
      CreationTime: new Date(0),
      Outputs: Object.entries(values).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    },
  ],
});

const FULL = {
  PersonalizeRoleArn: 'arn:role',
  BatchInputPrefix: 's3://data/batch/input/',
  BatchOutputPrefix: 's3://data/batch/output',
  UserPersonalizationSolutionArn: 'arn:solution/up',
};

describe('resolveBatchResources', () => {
  it('reads the role and prefixes from the stack and picks the newest ACTIVE solution version', async () => {
    cf.on(DescribeStacksCommand, { StackName: 'my-stack' }).resolves(outputs(FULL));
    personalize
      .on(ListSolutionVersionsCommand, { solutionArn: 'arn:solution/up', nextToken: undefined })
      .resolves({
        solutionVersions: [
          { solutionVersionArn: 'arn:v1', status: 'ACTIVE', creationDateTime: new Date(1000) },
          { solutionVersionArn: 'arn:v3', status: 'CREATE IN_PROGRESS', creationDateTime: new Date(3000) },
        ],
        nextToken: 'page2',
      })
      .on(ListSolutionVersionsCommand, { solutionArn: 'arn:solution/up', nextToken: 'page2' })
      .resolves({
        solutionVersions: [
          { solutionVersionArn: 'arn:v2', status: 'ACTIVE', creationDateTime: new Date(2000) },
        ],
      });

    const resources = await resolveBatchResources(clients, 'my-stack', 'user-personalization', {});

    expect(resources).toEqual({
      roleArn: 'arn:role',
      inputPrefix: { bucket: 'data', key: 'batch/input/' },
      outputPrefix: { bucket: 'data', key: 'batch/output/' },
      solutionVersionArn: 'arn:v2',
    });
  });

  it('names the stack and the missing output key', async () => {
    const { BatchOutputPrefix: _, ...partial } = FULL;
    cf.on(DescribeStacksCommand).resolves(outputs(partial));
    await expect(resolveBatchResources(clients, 'my-stack', 'user-personalization', {})).rejects.toThrow(
      new ResourceNotFoundError(
        'stack my-stack has no output BatchOutputPrefix: deploy a stack version that exports it, or pass it as a flag',
      ),
    );
  });

  it('skips CloudFormation when every value is given as a flag', async () => {
    const resources = await resolveBatchResources(clients, 'absent', 'sims', {
      roleArn: 'arn:r',
      inputPrefix: 's3://b/in/',
      outputPrefix: 's3://b/out/',
      solutionVersionArn: 'arn:sv',
    });
    expect(resources.solutionVersionArn).toBe('arn:sv');
    expect(cf.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });

  it('asks for a solution for segment jobs of either recipe, since the stack exports none', async () => {
    cf.on(DescribeStacksCommand).resolves(outputs(FULL));
    await expect(resolveBatchResources(clients, 's', 'item-affinity', {})).rejects.toThrow(InvalidInputError);
    await expect(resolveBatchResources(clients, 's', 'item-attribute-affinity', {})).rejects.toThrow(
      'solution-version: stack s exports no Item-Attribute-Affinity solution: pass --solution-version or --solution',
    );
  });

  it('says when a solution has no ACTIVE version', async () => {
    cf.on(DescribeStacksCommand).resolves(outputs(FULL));
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    await expect(resolveBatchResources(clients, 's', 'user-personalization', {})).rejects.toThrow(
      /solution arn:solution\/up has no ACTIVE solution version/,
    );
  });
});

describe('readStackOutputs', () => {
  it('turns a missing stack into ResourceNotFoundError naming it', async () => {
    cf.on(DescribeStacksCommand).rejects(
      awsError('ValidationError', 400, 'Stack with id nope does not exist'),
    );
    await expect(readStackOutputs(new CloudFormationClient({}), 'nope')).rejects.toThrow(
      new ResourceNotFoundError('stack nope does not exist (deploy it, or pass --stack)'),
    );
  });
});
