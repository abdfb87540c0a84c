import { randomBytes, randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { InvalidInputError, ResourceInUseError } from '../../errors.ts';
import { parseFilterExpression } from '../../local/filters/parse.ts';
import { resourceKey } from '../arn.ts';
import { CREATE_STATUSES, type LocalPersonalize, type Operation, PENDING } from '../control-plane.ts';
import { ResourceAlreadyExistsError } from '../errors.ts';
import type { ResourceRecord } from '../resources.ts';
import * as shapes from '../shapes.ts';
import { describeOperation, listOperation } from './common.ts';
import { recipeOf, versionFor } from './solutions.ts';

interface CampaignUpdate {
  solutionVersionArn: string;
  minProvisionedTPS: number;
  campaignConfig?: unknown;
  status: string;
  failureReason?: string;
  creationDateTime: number;
  lastUpdatedDateTime: number;
}

/** Campaigns answer GetRecommendations / GetPersonalizedRanking; segmentation versions run batch segment jobs only. */
function requireCampaignRecipe(version: ResourceRecord): void {
  const recipe = recipeOf(version);
  if (recipe.recipeType === 'USER_SEGMENTATION') {
    throw new InvalidInputError([
      {
        field: 'solutionVersionArn',
        message: `uses ${recipe.name}, a USER_SEGMENTATION recipe, which has no campaigns: use CreateBatchSegmentJob`,
      },
    ]);
  }
}

/**
 * A campaign's clients call one operation (GetRecommendations or GetPersonalizedRanking) about one dataset
 * group's users and items: a new version from another group, or of another recipe type, would break every
 * one of them at once, so UpdateCampaign refuses it.
 */
function requireSameKind(current: ResourceRecord, next: ResourceRecord): void {
  const issues = [];
  if (next.props.datasetGroupArn !== current.props.datasetGroupArn)
    issues.push(
      `belongs to dataset group ${String(next.props.datasetGroupArn)}, the campaign serves ${String(current.props.datasetGroupArn)}`,
    );
  const [was, is] = [recipeOf(current), recipeOf(next)];
  if (is.recipeType !== was.recipeType)
    issues.push(`uses ${is.name} (${is.recipeType}), the campaign serves ${was.name} (${was.recipeType})`);
  if (issues.length > 0)
    throw new InvalidInputError(issues.map((message) => ({ field: 'solutionVersionArn', message })));
}

/** A campaign is ACTIVE once its version's engine is loaded. */
async function loadVersion(plane: LocalPersonalize, versionArn: string): Promise<void> {
  const version = plane.lookup('solutionVersion', versionArn);
  plane.requireActive(version);
  await plane.served.recommender(version);
}

const createCampaign: Operation = async (plane, body) => {
  const request = plane.parse(shapes.createCampaign, body);
  const version = versionFor(plane, request.solutionVersionArn, 'solutionVersionArn');
  plane.requireActive(version);
  requireCampaignRecipe(version);
  const campaign = plane.create('campaign', {
    resource: `campaign/${request.name}`,
    name: request.name,
    parentArn: version.arn,
    props: {
      solutionVersionArn: version.arn,
      minProvisionedTPS: request.minProvisionedTPS ?? 1,
      ...(request.campaignConfig !== undefined && { campaignConfig: request.campaignConfig }),
    },
    tags: request.tags,
  });
  plane.advance(campaign, () => loadVersion(plane, version.arn));
  return { campaignArn: campaign.arn };
};

/**
 * The old version keeps serving while the update is pending; the campaign switches only when
 * `latestCampaignUpdate.status` reaches ACTIVE.
 */
const updateCampaign: Operation = async (plane, body) => {
  const request = plane.parse(shapes.updateCampaign, body);
  const campaign = plane.lookup('campaign', request.campaignArn);
  if (campaign.status !== 'ACTIVE' && campaign.status !== 'CREATE FAILED') {
    throw new ResourceInUseError(
      `campaign ${campaign.arn} is ${campaign.status}, it must be ACTIVE or CREATE FAILED`,
    );
  }
  const previous = campaign.props.latestCampaignUpdate as CampaignUpdate | undefined;
  if (previous && PENDING.has(previous.status)) {
    throw new ResourceInUseError(`campaign ${campaign.arn} has an update ${previous.status}`);
  }
  const version =
    request.solutionVersionArn === undefined
      ? plane.lookup('solutionVersion', String(campaign.props.solutionVersionArn))
      : versionFor(plane, request.solutionVersionArn, 'solutionVersionArn');
  plane.requireActive(version);
  requireCampaignRecipe(version);
  requireSameKind(plane.lookup('solutionVersion', String(campaign.props.solutionVersionArn)), version);
  const now = Date.now() / 1000;
  const update: CampaignUpdate = {
    solutionVersionArn: version.arn,
    minProvisionedTPS: request.minProvisionedTPS ?? Number(campaign.props.minProvisionedTPS),
    ...((request.campaignConfig ?? campaign.props.campaignConfig) !== undefined && {
      campaignConfig: request.campaignConfig ?? campaign.props.campaignConfig,
    }),
    status: 'CREATE PENDING',
    creationDateTime: now,
    lastUpdatedDateTime: now,
  };
  campaign.props.latestCampaignUpdate = update;
  plane.store.touch(campaign);
  const setUpdate = (status: string, failureReason?: string) => {
    update.status = status;
    update.lastUpdatedDateTime = Date.now() / 1000;
    if (failureReason !== undefined) update.failureReason = failureReason;
    if (status === 'ACTIVE') {
      campaign.props.solutionVersionArn = update.solutionVersionArn;
      campaign.props.minProvisionedTPS = update.minProvisionedTPS;
      if (update.campaignConfig !== undefined) campaign.props.campaignConfig = update.campaignConfig;
      if (campaign.status === 'CREATE FAILED') {
        campaign.status = 'ACTIVE';
        delete campaign.failureReason;
      }
    }
    plane.store.touch(campaign);
  };
  plane.lifecycle.spawn(
    async () => {
      await plane.lifecycle.step();
      setUpdate(CREATE_STATUSES.running);
      try {
        await loadVersion(plane, version.arn);
      } catch (error) {
        setUpdate(CREATE_STATUSES.failed, error instanceof Error ? error.message : String(error));
        return;
      }
      await plane.lifecycle.step();
      setUpdate('ACTIVE');
    },
    (error) => setUpdate(CREATE_STATUSES.failed, String(error)),
  );
  return { campaignArn: campaign.arn };
};

const deleteCampaign: Operation = async (plane, body) => {
  const { campaignArn } = plane.parse(shapes.byArn('campaignArn'), body) as { campaignArn: string };
  const campaign = plane.lookup('campaign', campaignArn);
  plane.requireNotDeleting(campaign);
  plane.destroy(campaign);
  return {};
};

const createEventTracker: Operation = async (plane, body) => {
  const request = plane.parse(shapes.createEventTracker, body);
  const group = plane.lookup('datasetGroup', request.datasetGroupArn);
  plane.requireActive(group);
  if (plane.store.list('eventTracker', group.arn).length > 0) {
    throw new ResourceAlreadyExistsError(`dataset group ${group.arn} already has an event tracker`);
  }
  const trackingId = randomUUID();
  const tracker = plane.create('eventTracker', {
    resource: `event-tracker/${randomBytes(4).toString('hex')}`,
    name: request.name,
    parentArn: group.arn,
    props: { datasetGroupArn: group.arn, trackingId, accountId: plane.account.accountId },
    tags: request.tags,
  });
  plane.advance(tracker);
  return { eventTrackerArn: tracker.arn, trackingId };
};

const deleteEventTracker: Operation = async (plane, body) => {
  const { eventTrackerArn } = plane.parse(shapes.byArn('eventTrackerArn'), body) as {
    eventTrackerArn: string;
  };
  const tracker = plane.lookup('eventTracker', eventTrackerArn);
  plane.requireNotDeleting(tracker);
  plane.destroy(tracker);
  return {};
};

/**
 * The expression is parsed now (syntax errors are InvalidInputException) and compiled against every engine of
 * the group already loaded (unknown or textual columns are InvalidInputException too).
 */
const createFilter: Operation = async (plane, body) => {
  const request = plane.parse(shapes.createFilter, body);
  parseFilterExpression(request.filterExpression);
  const group = plane.lookup('datasetGroup', request.datasetGroupArn);
  plane.requireActive(group);
  if (plane.store.has(`filter/${request.name}`)) {
    throw new ResourceAlreadyExistsError(`filter ${request.name} already exists`);
  }
  plane.served.addFilter(group.arn, request.name, request.filterExpression);
  const filter = plane.create('filter', {
    resource: `filter/${request.name}`,
    name: request.name,
    parentArn: group.arn,
    props: { datasetGroupArn: group.arn, filterExpression: request.filterExpression },
    tags: request.tags,
  });
  plane.advance(filter);
  return { filterArn: filter.arn };
};

const deleteFilter: Operation = async (plane, body) => {
  const { filterArn } = plane.parse(shapes.byArn('filterArn'), body) as { filterArn: string };
  const filter = plane.lookup('filter', filterArn);
  plane.requireNotDeleting(filter);
  plane.destroy(filter, async () => plane.served.removeFilter(String(filter.parentArn), filter.name));
  return {};
};

const listCampaignsShape = shapes.listShape({ solutionArn: z.optional(shapes.arn) });

/** ListCampaigns narrows by solution: campaigns whose version belongs to it. */
const listCampaigns: Operation = async (plane, body) => {
  const request = plane.parse(listCampaignsShape, body);
  let campaigns: ResourceRecord[] = plane.store.list('campaign');
  if (request.solutionArn !== undefined) {
    const solution = plane.lookup('solution', request.solutionArn);
    campaigns = campaigns.filter((c) => {
      const version = plane.store.find(resourceKey(String(c.props.solutionVersionArn), 'solutionVersionArn'));
      return version?.parentArn === solution.arn;
    });
  }
  return plane.listOf('campaign', campaigns, request, request.solutionArn ?? '');
};

export const SERVING_OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateCampaign: createCampaign,
  DescribeCampaign: describeOperation('campaign'),
  ListCampaigns: listCampaigns,
  UpdateCampaign: updateCampaign,
  DeleteCampaign: deleteCampaign,
  CreateEventTracker: createEventTracker,
  DescribeEventTracker: describeOperation('eventTracker'),
  ListEventTrackers: listOperation('eventTracker', 'datasetGroupArn', 'datasetGroup'),
  DeleteEventTracker: deleteEventTracker,
  CreateFilter: createFilter,
  DescribeFilter: describeOperation('filter'),
  ListFilters: listOperation('filter', 'datasetGroupArn', 'datasetGroup'),
  DeleteFilter: deleteFilter,
};
