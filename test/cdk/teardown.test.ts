import {
  DeleteCampaignCommand,
  DeleteEventTrackerCommand,
  DeleteFilterCommand,
  DescribeCampaignCommand,
  ListEventTrackersCommand,
  ListFiltersCommand,
  PersonalizeClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteLeftovers, findLeftovers, targetOf } from '../../lambdas/workflow/teardown-resources.ts';

const GROUP = 'arn:aws:personalize:us-east-1:123456789012:dataset-group/p-dsg-dev';
const LIVE = 'arn:aws:personalize:us-east-1:123456789012:campaign/p-sims-dev';
const NEVER_CREATED = 'arn:aws:personalize:us-east-1:123456789012:campaign/p-ranking-dev';
const TRACKER = 'arn:aws:personalize:us-east-1:123456789012:event-tracker/abc';
const FILTER = 'arn:aws:personalize:us-east-1:123456789012:filter/p-category-dev';

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
  });

  it('finds the workflow campaigns that exist and every tracker and filter of the group', async () => {
    const leftovers = await findLeftovers(client, {
      datasetGroupArn: GROUP,
      campaignArns: [LIVE, NEVER_CREATED],
    });
    expect(leftovers).toEqual({ campaignArns: [LIVE], eventTrackerArns: [TRACKER], filterArns: [FILTER] });
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
    });
    expect(personalize.commandCalls(DeleteCampaignCommand)).toHaveLength(1);
    expect(personalize.commandCalls(DeleteEventTrackerCommand)).toHaveLength(1);
    expect(personalize.commandCalls(DeleteFilterCommand)[0]!.args[0].input).toEqual({ filterArn: FILTER });
  });

  it('fails on any other error, so CloudFormation reports it', async () => {
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    personalize.on(DeleteFilterCommand).rejects(denied);
    await expect(
      deleteLeftovers(client, { campaignArns: [], eventTrackerArns: [], filterArns: [FILTER] }),
    ).rejects.toThrow('denied');
  });

  it('reads the custom resource properties and fails naming them when missing', () => {
    expect(targetOf({ DatasetGroupArn: GROUP, CampaignArns: [LIVE] })).toEqual({
      datasetGroupArn: GROUP,
      campaignArns: [LIVE],
    });
    expect(() => targetOf({ DatasetGroupArn: GROUP })).toThrow(/CampaignArns/);
  });
});
