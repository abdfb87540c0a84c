import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { onDatasetEvent } from './dataset-resource.ts';

const clients = { personalize: new PersonalizeClient({}), cloudFormation: new CloudFormationClient({}) };

/** Custom::PersonalizeDataset `onEvent` (see dataset-resource.ts). */
export function handler(event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse> {
  return onDatasetEvent(clients, event);
}
