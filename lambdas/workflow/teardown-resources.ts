import {
  DeleteCampaignCommand,
  DeleteEventTrackerCommand,
  DeleteFilterCommand,
  DescribeCampaignCommand,
  ListEventTrackersCommand,
  ListFiltersCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { awsCall } from '../../src/aws/aws-errors.ts';
import { InvalidInputError, ResourceInUseError, ResourceNotFoundError } from '../../src/errors.ts';

/** What the teardown removes before CloudFormation deletes the solutions and the dataset group. */
export interface TeardownTarget {
  readonly datasetGroupArn: string;
  /** Campaigns the training workflow created (CloudFormation does not know them). */
  readonly campaignArns: readonly string[];
}

/** Resources of the target that still exist (in any state, including DELETE IN_PROGRESS). */
export interface Leftovers {
  readonly campaignArns: readonly string[];
  readonly eventTrackerArns: readonly string[];
  readonly filterArns: readonly string[];
}

async function campaignExists(client: PersonalizeClient, campaignArn: string): Promise<boolean> {
  try {
    await awsCall({ action: 'personalize:DescribeCampaign', resource: `campaign ${campaignArn}` }, () =>
      client.send(new DescribeCampaignCommand({ campaignArn })),
    );
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundError) return false;
    throw error;
  }
}

/** Lists the campaigns, event trackers and filters that would block deleting the dataset group. */
export async function findLeftovers(client: PersonalizeClient, target: TeardownTarget): Promise<Leftovers> {
  const campaigns = await Promise.all(target.campaignArns.map((arn) => campaignExists(client, arn)));
  const resource = `dataset group ${target.datasetGroupArn}`;
  const trackers = await awsCall({ action: 'personalize:ListEventTrackers', resource }, () =>
    client.send(new ListEventTrackersCommand({ datasetGroupArn: target.datasetGroupArn, maxResults: 100 })),
  );
  const filters = await awsCall({ action: 'personalize:ListFilters', resource }, () =>
    client.send(new ListFiltersCommand({ datasetGroupArn: target.datasetGroupArn, maxResults: 100 })),
  );
  return {
    campaignArns: target.campaignArns.filter((_, i) => campaigns[i]),
    eventTrackerArns: (trackers.eventTrackers ?? []).flatMap((t) =>
      t.eventTrackerArn ? [t.eventTrackerArn] : [],
    ),
    filterArns: (filters.Filters ?? []).flatMap((f) => (f.filterArn ? [f.filterArn] : [])),
  };
}

/** Starts deleting every leftover; a resource already being deleted (or gone) is not an error. */
export async function deleteLeftovers(client: PersonalizeClient, leftovers: Leftovers): Promise<void> {
  const ignoreGoneOrBusy = (error: unknown) => {
    if (!(error instanceof ResourceNotFoundError) && !(error instanceof ResourceInUseError)) throw error;
  };
  const remove = (action: string, resource: string, send: () => Promise<unknown>) =>
    awsCall({ action: `personalize:${action}`, resource }, send).catch(ignoreGoneOrBusy);
  await Promise.all([
    ...leftovers.campaignArns.map((campaignArn) =>
      remove('DeleteCampaign', campaignArn, () => client.send(new DeleteCampaignCommand({ campaignArn }))),
    ),
    ...leftovers.eventTrackerArns.map((eventTrackerArn) =>
      remove('DeleteEventTracker', eventTrackerArn, () =>
        client.send(new DeleteEventTrackerCommand({ eventTrackerArn })),
      ),
    ),
    ...leftovers.filterArns.map((filterArn) =>
      remove('DeleteFilter', filterArn, () => client.send(new DeleteFilterCommand({ filterArn }))),
    ),
  ]);
}

/** Reads the custom resource's properties (CloudFormation passes every value as a string or string list). */
export function targetOf(properties: Record<string, unknown>): TeardownTarget {
  const { DatasetGroupArn, CampaignArns } = properties;
  if (typeof DatasetGroupArn !== 'string' || !Array.isArray(CampaignArns)) {
    throw new InvalidInputError([
      {
        field: 'ResourceProperties',
        message: 'DatasetGroupArn (string) and CampaignArns (list) are required',
      },
    ]);
  }
  return { datasetGroupArn: DatasetGroupArn, campaignArns: CampaignArns.map(String) };
}
