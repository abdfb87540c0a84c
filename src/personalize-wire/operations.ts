import { InvalidInputError, ResourceNotFoundError } from '../errors.ts';
import type { PredictedItem, Recommendations, Recommender } from '../recommender/types.ts';
import type { WireConfig } from './config.ts';
import type { WireOperationName } from './routes.ts';

/** A parsed JSON request body of one Personalize operation. */
type Body = Record<string, unknown>;

/** What an operation returns: a JSON body (or none) for a 200 reply. */
export type WireResult = Record<string, unknown> | undefined;

/** The last path segment of an ARN's resource part (`…:campaign/<name>` → name). */
function resourceName(arn: unknown, resourceType: string, field: string): string {
  if (typeof arn !== 'string' || arn.length === 0) {
    throw new InvalidInputError([{ field, message: 'is required' }]);
  }
  if (arn.length > 256 || !/^arn:([a-z\d-]+):personalize:.*:.*:.+$/.test(arn)) {
    throw new InvalidInputError([
      { field, message: 'must be an ARN of at most 256 characters (arn:aws:personalize:…)' },
    ]);
  }
  const match = new RegExp(`:${resourceType}/(.+)$`).exec(arn);
  if (!match?.[1]) throw new ResourceNotFoundError(`${field} ${arn} is not a ${resourceType}`);
  return match[1];
}

export type CampaignKind = keyof WireConfig['campaigns'];

/** The engine behind a campaign and which runtime call its recipe answers. */
export interface CampaignTarget {
  readonly recommender: Recommender;
  readonly kind: CampaignKind;
}

/**
 * Where the wire operations find campaigns, event trackers and datasets. Each lookup answers undefined for a
 * name it does not know, so several sources can be asked in turn (control-plane resources, then the demo's).
 */
export interface WireTargets {
  /** `name` is the ARN's part after `campaign/` (or `recommender/`). */
  campaign(name: string): Promise<CampaignTarget | undefined>;
  tracker(trackingId: string): Promise<Pick<Recommender, 'putEvents'> | undefined>;
  /** `resource` is the ARN's part after `dataset/`, e.g. `my-group/ITEMS`. */
  dataset(resource: string): Promise<Pick<Recommender, 'putItems' | 'putUsers'> | undefined>;
}

/** The fixed names of `config`, all served by one recommender (the `npm start` demo endpoint). */
export function staticTargets(recommender: Recommender, config: WireConfig): WireTargets {
  return {
    campaign: async (name) => {
      const kind = (Object.keys(config.campaigns) as CampaignKind[]).find(
        (k) => config.campaigns[k] === name,
      );
      return kind === undefined ? undefined : { recommender, kind };
    },
    tracker: async (trackingId) => (trackingId === config.trackingId ? recommender : undefined),
    dataset: async (resource) =>
      resource === `${config.datasetGroupName}/ITEMS` || resource === `${config.datasetGroupName}/USERS`
        ? recommender
        : undefined,
  };
}

async function firstOf<T>(
  targets: readonly WireTargets[],
  find: (target: WireTargets) => Promise<T | undefined>,
): Promise<T | undefined> {
  for (const target of targets) {
    const found = await find(target);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The campaign (or recommender) the call names. GetRecommendations takes exactly one of campaignArn and
 * recommenderArn (§1.2); GetPersonalizedRanking takes campaignArn only.
 */
async function campaignOf(
  body: Body,
  targets: readonly WireTargets[],
  members: 'campaignOrRecommender' | 'campaign',
): Promise<CampaignTarget> {
  if (members === 'campaignOrRecommender') {
    if (body.campaignArn !== undefined && body.recommenderArn !== undefined) {
      throw new InvalidInputError([
        { field: 'campaignArn', message: 'give either campaignArn or recommenderArn, not both' },
      ]);
    }
    if (body.campaignArn === undefined && body.recommenderArn === undefined) {
      throw new InvalidInputError([{ field: 'campaignArn or recommenderArn', message: 'one is required' }]);
    }
  }
  const field = body.campaignArn !== undefined || members === 'campaign' ? 'campaignArn' : 'recommenderArn';
  const name = resourceName(body[field], field === 'campaignArn' ? 'campaign' : 'recommender', field);
  const found = await firstOf(targets, (t) => t.campaign(name));
  if (!found) throw new ResourceNotFoundError(`${field} ${String(body[field])} does not exist`);
  return found;
}

/** Personalize sends `metadataColumns` as `{ ITEMS: [...] }`; the contract takes the column list. */
function itemMetadataColumns(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const unknown = keys.filter((k) => k !== 'ITEMS');
  if (unknown.length > 0) {
    throw new InvalidInputError([
      { field: 'metadataColumns', message: `only the ITEMS key is supported, got ${unknown.join(', ')}` },
    ]);
  }
  return (value as { ITEMS?: unknown }).ITEMS;
}

function filterOf(body: Body): { filter?: unknown; filterValues?: unknown } {
  return {
    ...(body.filterArn !== undefined && { filter: body.filterArn }),
    ...(body.filterValues !== undefined && { filterValues: body.filterValues }),
  };
}

function rejectUnsupported(body: Body, fields: readonly string[]): void {
  const present = fields.filter((f) => body[f] !== undefined);
  if (present.length > 0) {
    throw new InvalidInputError(
      present.map((f) => ({ field: f, message: 'is not supported by the local engine' })),
    );
  }
}

/** The contract's items in Personalize's PredictedItem shape. */
function predicted(items: readonly PredictedItem[]) {
  return items.map((i) => ({
    itemId: i.itemId,
    ...(i.score !== undefined && { score: i.score }),
    ...(i.metadata !== undefined && { metadata: i.metadata }),
  }));
}

async function getRecommendations(targets: readonly WireTargets[], body: Body): Promise<WireResult> {
  rejectUnsupported(body, ['promotions']);
  const { recommender, kind } = await campaignOf(body, targets, 'campaignOrRecommender');
  const common = {
    ...(body.numResults !== undefined && { numResults: body.numResults }),
    ...(body.context !== undefined && { context: body.context }),
    ...(body.metadataColumns !== undefined && { metadataColumns: itemMetadataColumns(body.metadataColumns) }),
    ...filterOf(body),
  };
  let result: Recommendations;
  if (kind === 'similarItems') {
    result = await recommender.getSimilarItems({
      itemId: body.itemId,
      ...(body.userId !== undefined && { userId: body.userId }),
      ...common,
    } as never);
  } else if (kind === 'userPersonalization') {
    result = await recommender.getRecommendations({ userId: body.userId, ...common } as never);
  } else {
    throw new InvalidInputError([
      {
        field: 'campaignArn',
        message: 'a PERSONALIZED_RANKING campaign must be called with GetPersonalizedRanking',
      },
    ]);
  }
  return { itemList: predicted(result.items), recommendationId: result.recommendationId };
}

async function getPersonalizedRanking(targets: readonly WireTargets[], body: Body): Promise<WireResult> {
  const { recommender, kind } = await campaignOf(body, targets, 'campaign');
  if (kind !== 'personalizedRanking') {
    throw new InvalidInputError([
      { field: 'campaignArn', message: 'GetPersonalizedRanking needs a PERSONALIZED_RANKING campaign' },
    ]);
  }
  const result = await recommender.getPersonalizedRanking({
    userId: body.userId,
    inputList: body.inputList,
    ...(body.context !== undefined && { context: body.context }),
    ...(body.metadataColumns !== undefined && { metadataColumns: itemMetadataColumns(body.metadataColumns) }),
    ...filterOf(body),
  } as never);
  return { personalizedRanking: predicted(result.items), recommendationId: result.recommendationId };
}

/** `properties` travels as JSON text on the wire (§1.1); the contract takes the parsed object. */
function parseProperties(value: unknown, field: string): unknown {
  if (value === undefined || typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new InvalidInputError([{ field, message: 'Error parsing properties json' }]);
  }
}

const METRIC_ATTRIBUTION_SOURCE = /^[\x20-\x7E]*[\x21-\x7E]+[\x20-\x7E]*$/;

async function putEvents(targets: readonly WireTargets[], body: Body): Promise<WireResult> {
  const trackingId = body.trackingId;
  const recommender =
    typeof trackingId === 'string' ? await firstOf(targets, (t) => t.tracker(trackingId)) : undefined;
  if (recommender === undefined) {
    // PutEvents declares only InvalidInputException, so an unknown tracker is reported as one (§9).
    throw new InvalidInputError([
      { field: 'trackingId', message: `no event tracker has trackingId ${String(body.trackingId)}` },
    ]);
  }
  const events = body.eventList;
  const eventList = Array.isArray(events)
    ? events.map((raw: unknown, index) => {
        if (typeof raw !== 'object' || raw === null) return raw;
        const { metricAttribution, properties, ...event } = raw as Body;
        // Metric attribution is validated as Personalize does; the local engine keeps no attribution reports.
        if (metricAttribution !== undefined) {
          const source = (metricAttribution as { eventAttributionSource?: unknown } | null)
            ?.eventAttributionSource;
          if (typeof source !== 'string' || source.length > 1024 || !METRIC_ATTRIBUTION_SOURCE.test(source)) {
            throw new InvalidInputError([
              {
                field: `eventList.${index}.metricAttribution.eventAttributionSource`,
                message: 'is required: 1 to 1024 printable ASCII characters, not all blanks',
              },
            ]);
          }
        }
        return {
          ...event,
          ...(properties !== undefined && {
            properties: parseProperties(properties, `eventList.${index}.properties`),
          }),
        };
      })
    : events;
  await recommender.putEvents({
    sessionId: body.sessionId,
    ...(body.userId !== undefined && { userId: body.userId }),
    eventList,
  } as never);
  return undefined;
}

async function datasetOf(
  body: Body,
  expected: 'ITEMS' | 'USERS',
  targets: readonly WireTargets[],
): Promise<Pick<Recommender, 'putItems' | 'putUsers'>> {
  const name = resourceName(body.datasetArn, 'dataset', 'datasetArn');
  const found = name.endsWith(`/${expected}`) ? await firstOf(targets, (t) => t.dataset(name)) : undefined;
  if (found === undefined) {
    throw new ResourceNotFoundError(
      `datasetArn ${String(body.datasetArn)} is not an ${expected} dataset here`,
    );
  }
  return found;
}

function records(list: unknown, field: string): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((raw: unknown, index) => {
    if (typeof raw !== 'object' || raw === null) return raw;
    const { properties, ...record } = raw as Body;
    return {
      ...record,
      ...(properties !== undefined && {
        properties: parseProperties(properties, `${field}.${index}.properties`),
      }),
    };
  });
}

async function putItems(targets: readonly WireTargets[], body: Body): Promise<WireResult> {
  const recommender = await datasetOf(body, 'ITEMS', targets);
  await recommender.putItems({ items: records(body.items, 'items') } as never);
  return undefined;
}

async function putUsers(targets: readonly WireTargets[], body: Body): Promise<WireResult> {
  const recommender = await datasetOf(body, 'USERS', targets);
  await recommender.putUsers({ users: records(body.users, 'users') } as never);
  return undefined;
}

type Operation = (targets: readonly WireTargets[], body: Body) => Promise<WireResult>;

/** One implementation per operation of WIRE_ROUTES (routes.ts), which gives their paths and shapes. */
export const WIRE_OPERATIONS: Readonly<Record<WireOperationName, Operation>> = {
  GetRecommendations: getRecommendations,
  GetPersonalizedRanking: getPersonalizedRanking,
  PutEvents: putEvents,
  PutItems: putItems,
  PutUsers: putUsers,
};
