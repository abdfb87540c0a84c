import { PersonalizeClient } from '@aws-sdk/client-personalize';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { deleteLeftovers, findLeftovers, targetOf } from './teardown-resources.ts';

const client = new PersonalizeClient({});

/**
 * Custom resource `onEvent`: nothing to do on create/update; on delete, starts deleting the campaigns,
 * event trackers and filters, and stops the training solution versions, that would make DeleteSolution
 * or DeleteDatasetGroup fail. `teardown-check` waits for them.
 */
export async function handler(event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse> {
  const target = targetOf(event.ResourceProperties);
  if (event.RequestType === 'Delete') {
    await deleteLeftovers(client, await findLeftovers(client, target));
  }
  return { PhysicalResourceId: `teardown:${target.datasetGroupArn}` };
}
