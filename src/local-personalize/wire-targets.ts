import { InvalidInputError, ResourceNotFoundError } from '../errors.ts';
import { toColumnName } from '../local/recommender/column-name.ts';
import type { CampaignKind, WireTargets } from '../personalize-wire/operations.ts';
import { validatePutEvents, validatePutItems, validatePutUsers } from '../recommender/request-validation.ts';
import type {
  PropertyValue,
  PutEventsRequest,
  PutItemsRequest,
  PutUsersRequest,
} from '../recommender/types.ts';
import type { LocalPersonalize } from './control-plane.ts';
import { dataOf, datasetOfGroup } from './operations/datasets.ts';
import { recipeOf } from './operations/solutions.ts';
import type { RecipeType } from './recipes.ts';
import type { ResourceRecord } from './resources.ts';

/** USER_SEGMENTATION versions have no campaign (CreateCampaign refuses them). */
const KIND_OF: Readonly<Record<Exclude<RecipeType, 'USER_SEGMENTATION'>, CampaignKind>> = {
  USER_PERSONALIZATION: 'userPersonalization',
  RELATED_ITEMS: 'similarItems',
  PERSONALIZED_RANKING: 'personalizedRanking',
};

const cell = (value: PropertyValue | undefined): string =>
  value === undefined || value === null ? '' : String(value);

function columns(properties: Readonly<Record<string, PropertyValue>> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(properties ?? {}).map(([key, value]) => [toColumnName(key), cell(value)]),
  );
}

/** Streamed events become Interactions rows (personalize-reference.md §3.5); events without an item have none. */
function interactionRows(request: PutEventsRequest): Record<string, string>[] {
  return request.eventList
    .filter((event) => event.itemId !== undefined)
    .map((event) => ({
      ...columns(event.properties),
      USER_ID: request.userId ?? request.sessionId,
      ITEM_ID: event.itemId!,
      TIMESTAMP: String(Math.floor(event.sentAt.getTime() / 1000)),
      EVENT_TYPE: event.eventType,
      EVENT_VALUE: cell(event.eventValue),
      IMPRESSION: (event.impression ?? []).join('|'),
      RECOMMENDATION_ID: event.recommendationId ?? '',
    }));
}

/**
 * The runtime endpoint's view of the control plane: ACTIVE campaigns answer from their solution version's
 * engine, a tracker's events and PutItems/PutUsers records go into the dataset group's data (for the next
 * training) and to every engine of the group already serving (at once).
 */
export function controlPlaneTargets(plane: LocalPersonalize): WireTargets {
  const engines = (group: string) => plane.served.inGroup(group);
  const appendTo = async (
    group: string,
    type: 'interactions' | 'items' | 'users',
    rows: Record<string, string>[],
  ) => {
    const dataset = datasetOfGroup(plane, plane.lookup('datasetGroup', group), type);
    if (dataset !== undefined && rows.length > 0) await dataOf(plane, dataset).append(rows);
  };
  return {
    campaign: async (name) => {
      const campaign = plane.store.find(`campaign/${name}`);
      if (campaign?.kind !== 'campaign') return undefined;
      if (campaign.status !== 'ACTIVE') {
        throw new ResourceNotFoundError(`campaign ${campaign.arn} is ${campaign.status}, not ACTIVE`);
      }
      const version = plane.lookup('solutionVersion', String(campaign.props.solutionVersionArn));
      const { recipeType } = recipeOf(version);
      if (recipeType === 'USER_SEGMENTATION') {
        throw new ResourceNotFoundError(`campaign ${campaign.arn} serves a USER_SEGMENTATION version`);
      }
      return {
        recommender: await plane.served.recommender(version),
        kind: KIND_OF[recipeType],
      };
    },
    tracker: async (trackingId) => {
      const tracker = plane.store
        .list('eventTracker')
        .find((t: ResourceRecord) => t.props.trackingId === trackingId);
      if (tracker === undefined) return undefined;
      if (tracker.status !== 'ACTIVE') {
        throw new InvalidInputError([
          { field: 'trackingId', message: `event tracker ${tracker.arn} is ${tracker.status}` },
        ]);
      }
      const group = String(tracker.parentArn);
      return {
        putEvents: async (request: PutEventsRequest) => {
          const valid = validatePutEvents(request);
          for (const engine of engines(group)) await engine.putEvents(request);
          await appendTo(group, 'interactions', interactionRows(valid));
        },
      };
    },
    dataset: async (resource) => {
      const dataset = plane.store.find(`dataset/${resource}`);
      if (dataset?.kind !== 'dataset') return undefined;
      plane.requireActive(dataset);
      const group = String(dataset.parentArn);
      return {
        putItems: async (request: PutItemsRequest) => {
          const valid = validatePutItems(request);
          for (const engine of engines(group)) await engine.putItems(request);
          await appendTo(
            group,
            'items',
            valid.items.map((i) => ({ ...columns(i.properties), ITEM_ID: i.itemId })),
          );
        },
        putUsers: async (request: PutUsersRequest) => {
          const valid = validatePutUsers(request);
          for (const engine of engines(group)) await engine.putUsers(request);
          await appendTo(
            group,
            'users',
            valid.users.map((u) => ({ ...columns(u.properties), USER_ID: u.userId })),
          );
        },
      };
    },
  };
}
