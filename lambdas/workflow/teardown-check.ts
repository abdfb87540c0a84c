import { PersonalizeClient } from '@aws-sdk/client-personalize';
import type { CdkCustomResourceIsCompleteEvent, CdkCustomResourceIsCompleteResponse } from 'aws-lambda';
import { deleteLeftovers, findLeftovers, remainingCount, targetOf } from './teardown-resources.ts';

const client = new PersonalizeClient({});

/** Custom resource `isComplete`: on delete, done once no campaign, event tracker or filter is left
 * and no solution version trains or import job runs. */
export async function handler(
  event: CdkCustomResourceIsCompleteEvent,
): Promise<CdkCustomResourceIsCompleteResponse> {
  if (event.RequestType !== 'Delete') return { IsComplete: true };
  const leftovers = await findLeftovers(client, targetOf(event.ResourceProperties));
  // Retry deletes that were refused while the resource was still being created or updated.
  await deleteLeftovers(client, leftovers);
  return { IsComplete: remainingCount(leftovers) === 0 };
}
