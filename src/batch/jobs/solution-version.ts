import { ListSolutionVersionsCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { awsCall } from '../../aws/aws-errors.ts';
import { ResourceNotFoundError } from '../../errors.ts';

/** The newest ACTIVE version of a solution: batch jobs run straight off a solution version. */
export async function latestActiveVersion(
  personalize: PersonalizeClient,
  solutionArn: string,
): Promise<string> {
  let newest: { arn: string; created: number } | undefined;
  let nextToken: string | undefined;
  do {
    const reply = await awsCall(
      { action: 'personalize:ListSolutionVersions', resource: `solution ${solutionArn}` },
      () => personalize.send(new ListSolutionVersionsCommand({ solutionArn, nextToken })),
    );
    for (const v of reply.solutionVersions ?? []) {
      const created = v.creationDateTime?.getTime() ?? 0;
      if (v.status === 'ACTIVE' && v.solutionVersionArn && (!newest || created > newest.created)) {
        newest = { arn: v.solutionVersionArn, created };
      }
    }
    nextToken = reply.nextToken;
  } while (nextToken);
  if (!newest) {
    throw new ResourceNotFoundError(
      `solution ${solutionArn} has no ACTIVE solution version: train one first, or pass --solution-version`,
    );
  }
  return newest.arn;
}
