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
  PersonalizeClient,
  ResourceInUseException,
  ResourceNotFoundException,
  StopSolutionVersionCreationCommand,
} from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as check } from '../../lambdas/workflow/teardown-check.ts';
import {
  deleteLeftovers,
  findLeftovers,
  type Leftovers,
  targetOf,
} from '../../lambdas/workflow/teardown-resources.ts';
import { handler as start } from '../../lambdas/workflow/teardown-start.ts';

const GROUP = 'arn:aws:personalize:us-east-1:123456789012:dataset-group/p-dsg-dev';
const LIVE = 'arn:aws:personalize:us-east-1:123456789012:campaign/p-sims-dev';
const NEVER_CREATED = 'arn:aws:personalize:us-east-1:123456789012:campaign/p-ranking-dev';
const TRACKER = 'arn:aws:personalize:us-east-1:123456789012:event-tracker/abc';
const FILTER = 'arn:aws:personalize:us-east-1:123456789012:filter/p-category-dev';
const SOLUTION = 'arn:aws:personalize:us-east-1:123456789012:solution/p-sims-dev-abc';
const TRAINING = `${SOLUTION}/training`;
const DONE = `${SOLUTION}/done`;
const DATASET = 'arn:aws:personalize:us-east-1:123456789012:dataset/p-dsg-dev/INTERACTIONS';
const IMPORT = 'arn:aws:personalize:us-east-1:123456789012:dataset-import-job/p-dev-interactions-1';
const NOTHING_BUSY = { trainingVersionArns: [], stoppingVersionArns: [], importJobArns: [] };

const personalize = mockClient(PersonalizeClient);
const client = new PersonalizeClient({});

describe('Module: teardown-resources', () => {
  beforeEach(() => {
    personalize.reset();
    personalize
      .on(DescribeCampaignCommand, { campaignArn: LIVE })
      .resolves({ campaign: { campaignArn: LIVE } });
    personalize
      .on(DescribeCampaignCommand, { campaignArn: NEVER_CREATED })
      .rejects(new ResourceNotFoundException({ message: 'no', $metadata: {} }));
    personalize.on(ListEventTrackersCommand).resolves({ eventTrackers: [{ eventTrackerArn: TRACKER }] });
    personalize.on(ListFiltersCommand).resolves({ Filters: [{ filterArn: FILTER }] });
    personalize.on(ListSolutionsCommand).resolves({ solutions: [{ solutionArn: SOLUTION }] });
    personalize.on(ListSolutionVersionsCommand).resolves({
      solutionVersions: [{ solutionVersionArn: DONE, status: 'ACTIVE' }],
    });
    personalize.on(ListDatasetsCommand).resolves({ datasets: [{ datasetArn: DATASET }] });
    personalize.on(ListDatasetImportJobsCommand).resolves({
      datasetImportJobs: [{ datasetImportJobArn: `${IMPORT}-old`, status: 'ACTIVE' }],
    });
  });

  it('finds the workflow campaigns that exist and every tracker and filter of the group', async () => {
    const leftovers = await findLeftovers(client, {
      datasetGroupArn: GROUP,
      campaignArns: [LIVE, NEVER_CREATED],
    });
    expect(leftovers).toEqual({
      campaignArns: [LIVE],
      eventTrackerArns: [TRACKER],
      filterArns: [FILTER],
      ...NOTHING_BUSY,
    });
    expect(personalize.commandCalls(ListFiltersCommand)[0]!.args[0].input).toMatchObject({
      datasetGroupArn: GROUP,
    });
  });

  it('starts every deletion and tolerates resources that are gone or still busy', async () => {
    personalize
      .on(DeleteCampaignCommand)
      .rejects(new ResourceInUseException({ message: 'busy', $metadata: {} }));
    personalize
      .on(DeleteEventTrackerCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    personalize.on(DeleteFilterCommand).resolves({});
    await deleteLeftovers(client, {
      campaignArns: [LIVE],
      eventTrackerArns: [TRACKER],
      filterArns: [FILTER],
      ...NOTHING_BUSY,
    });
    expect(personalize.commandCalls(DeleteCampaignCommand)).toHaveLength(1);
    expect(personalize.commandCalls(DeleteEventTrackerCommand)).toHaveLength(1);
    expect(personalize.commandCalls(DeleteFilterCommand)[0]!.args[0].input).toEqual({ filterArn: FILTER });
  });

  it('fails on any other error, so CloudFormation reports it', async () => {
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    personalize.on(DeleteFilterCommand).rejects(denied);
    await expect(
      deleteLeftovers(client, {
        campaignArns: [],
        eventTrackerArns: [],
        filterArns: [FILTER],
        ...NOTHING_BUSY,
      }),
    ).rejects.toThrow('denied');
  });

  it('reads the custom resource properties and fails naming them when missing', () => {
    expect(targetOf({ DatasetGroupArn: GROUP, CampaignArns: [LIVE] })).toEqual({
      datasetGroupArn: GROUP,
      campaignArns: [LIVE],
    });
    expect(() => targetOf({ DatasetGroupArn: GROUP })).toThrow(/CampaignArns/);
  });

  describe('stack deletion while a version trains and an import runs', () => {
    const deleteEvent = {
      RequestType: 'Delete',
      ResourceProperties: { ServiceToken: 'token', DatasetGroupArn: GROUP, CampaignArns: [] as string[] },
      PhysicalResourceId: `teardown:${GROUP}`,
    } as never;
    let versionStatus: string;
    let importStatus: string;

    beforeEach(() => {
      versionStatus = 'CREATE IN_PROGRESS';
      importStatus = 'CREATE IN_PROGRESS';
      personalize.on(ListEventTrackersCommand).resolves({ eventTrackers: [] });
      personalize.on(ListFiltersCommand).resolves({ Filters: [] });
      personalize.on(ListSolutionVersionsCommand).callsFake(async () => ({
        solutionVersions: [
          { solutionVersionArn: DONE, status: 'ACTIVE' },
          { solutionVersionArn: TRAINING, status: versionStatus },
        ],
      }));
      personalize.on(ListDatasetImportJobsCommand).callsFake(async () => ({
        datasetImportJobs: [{ datasetImportJobArn: IMPORT, status: importStatus }],
      }));
      personalize.on(StopSolutionVersionCreationCommand).callsFake(async () => {
        versionStatus = 'CREATE STOPPING';
        return {};
      });
    });

    it('stops the training version, and reports not complete until it is stopped and the import ended', async () => {
      // Act: CloudFormation deletes the stack mid-training.
      await start(deleteEvent);

      // Assess
      expect(
        personalize.commandCalls(StopSolutionVersionCreationCommand).map((c) => c.args[0].input),
      ).toEqual([{ solutionVersionArn: TRAINING }]);
      const stillBusy: Leftovers = await findLeftovers(
        client,
        targetOf({ DatasetGroupArn: GROUP, CampaignArns: [] }),
      );
      expect(stillBusy).toMatchObject({ stoppingVersionArns: [TRAINING], importJobArns: [IMPORT] });
      expect(await check(deleteEvent)).toEqual({ IsComplete: false });

      versionStatus = 'CREATE STOPPED';
      expect(await check(deleteEvent)).toEqual({ IsComplete: false });

      importStatus = 'ACTIVE';
      expect(await check(deleteEvent)).toEqual({ IsComplete: true });
      // Only the training version was ever stopped (never the finished one).
      expect(personalize.commandCalls(StopSolutionVersionCreationCommand)).toHaveLength(1);
    });
  });
});
