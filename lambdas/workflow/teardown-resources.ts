import {
  DeleteCampaignCommand,
  DeleteEventTrackerCommand,
  DeleteFilterCommand,
  DescribeCampaignCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  ListEventTrackersCommand,
  ListFiltersCommand,
  ListSolutionsCommand,
  ListSolutionVersionsCommand,
  type PersonalizeClient,
  StopSolutionVersionCreationCommand,
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
  /** Solution versions still training (DeleteSolution fails on them): stopped, then awaited. */
  readonly trainingVersionArns: readonly string[];
  /** Solution versions being stopped: awaited until CREATE STOPPED. */
  readonly stoppingVersionArns: readonly string[];
  /** Import jobs still running: they cannot be stopped, so the teardown waits for them. */
  readonly importJobArns: readonly string[];
}

const IN_PROGRESS = new Set(['CREATE PENDING', 'CREATE IN_PROGRESS']);

/** Solution versions of the group's solutions, by whether they are training or being stopped. */
async function busyVersions(client: PersonalizeClient, datasetGroupArn: string) {
  const solutions = await awsCall(
    { action: 'personalize:ListSolutions', resource: `dataset group ${datasetGroupArn}` },
    () => client.send(new ListSolutionsCommand({ datasetGroupArn, maxResults: 100 })),
  );
  const versions = await Promise.all(
    (solutions.solutions ?? []).flatMap((s) =>
      s.solutionArn
        ? [
            awsCall(
              { action: 'personalize:ListSolutionVersions', resource: `solution ${s.solutionArn}` },
              () =>
                client.send(new ListSolutionVersionsCommand({ solutionArn: s.solutionArn, maxResults: 100 })),
            ),
          ]
        : [],
    ),
  );
  const all = versions.flatMap((v) => v.solutionVersions ?? []);
  const arnsWith = (keep: (status: string) => boolean) =>
    all.flatMap((v) => (v.solutionVersionArn && keep(v.status ?? '') ? [v.solutionVersionArn] : []));
  return {
    training: arnsWith((status) => IN_PROGRESS.has(status)),
    stopping: arnsWith((status) => status === 'CREATE STOPPING'),
  };
}

/** Import jobs of the group's datasets that are still running. */
async function runningImports(client: PersonalizeClient, datasetGroupArn: string): Promise<string[]> {
  const datasets = await awsCall(
    { action: 'personalize:ListDatasets', resource: `dataset group ${datasetGroupArn}` },
    () => client.send(new ListDatasetsCommand({ datasetGroupArn, maxResults: 100 })),
  );
  const jobs = await Promise.all(
    (datasets.datasets ?? []).flatMap((d) =>
      d.datasetArn
        ? [
            awsCall(
              { action: 'personalize:ListDatasetImportJobs', resource: `dataset ${d.datasetArn}` },
              () =>
                client.send(new ListDatasetImportJobsCommand({ datasetArn: d.datasetArn, maxResults: 100 })),
            ),
          ]
        : [],
    ),
  );
  return jobs
    .flatMap((j) => j.datasetImportJobs ?? [])
    .flatMap((j) =>
      j.datasetImportJobArn && IN_PROGRESS.has(j.status ?? '') ? [j.datasetImportJobArn] : [],
    );
}

/** How many leftovers still block the deletion. */
export function remainingCount(leftovers: Leftovers): number {
  return Object.values(leftovers).reduce((sum, arns: readonly string[]) => sum + arns.length, 0);
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
  const versions = await busyVersions(client, target.datasetGroupArn);
  return {
    campaignArns: target.campaignArns.filter((_, i) => campaigns[i]),
    eventTrackerArns: (trackers.eventTrackers ?? []).flatMap((t) =>
      t.eventTrackerArn ? [t.eventTrackerArn] : [],
    ),
    filterArns: (filters.Filters ?? []).flatMap((f) => (f.filterArn ? [f.filterArn] : [])),
    trainingVersionArns: versions.training,
    stoppingVersionArns: versions.stopping,
    importJobArns: await runningImports(client, target.datasetGroupArn),
  };
}

/** Starts deleting (or stopping) every leftover; one already going (or gone) is not an error. */
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
    // A training version blocks DeleteSolution for hours (and keeps billing): stop it. Running imports
    // have no stop call; the caller waits for them.
    ...leftovers.trainingVersionArns.map((solutionVersionArn) =>
      remove('StopSolutionVersionCreation', solutionVersionArn, () =>
        client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn })),
      ),
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
