import { PersonalizeClient } from '@aws-sdk/client-personalize';
import type { CdkCustomResourceIsCompleteEvent, CdkCustomResourceIsCompleteResponse } from 'aws-lambda';
import { deleteLeftovers, findLeftovers, targetOf } from './teardown-resources.ts';

const client = new PersonalizeClient({});

/** Custom resource `isComplete`: on delete, done once no campaign, event tracker or filter is left. */
export async function handler(
  event: CdkCustomResourceIsCompleteEvent,
): Promise<CdkCustomResourceIsCompleteResponse> {
  if (event.RequestType !== 'Delete') return { IsComplete: true };
  const leftovers = await findLeftovers(client, targetOf(event.ResourceProperties));
  // Retry deletes that were refused while the resource was still being created or updated.
  await deleteLeftovers(client, leftovers);
  const remaining =
    leftovers.campaignArns.length + leftovers.eventTrackerArns.length + leftovers.filterArns.length;
  return { IsComplete: remaining === 0 };
}
