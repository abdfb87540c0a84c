import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import type { CdkCustomResourceIsCompleteEvent, CdkCustomResourceIsCompleteResponse } from 'aws-lambda';
import { datasetComplete } from './dataset-resource.ts';

const clients = { personalize: new PersonalizeClient({}), cloudFormation: new CloudFormationClient({}) };

/** Custom::PersonalizeDataset `isComplete` (see dataset-resource.ts). */
export async function handler(
  event: CdkCustomResourceIsCompleteEvent,
): Promise<CdkCustomResourceIsCompleteResponse> {
  return { IsComplete: await datasetComplete(clients, event) };
}
