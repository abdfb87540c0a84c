import { InvalidInputError, ResourceNotFoundError } from '../../errors.ts';
import type { PredictedItem, Recommendations, Recommender } from '../../recommender/types.ts';
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

type CampaignKind = keyof WireConfig['campaigns'];

function campaignKind(body: Body, config: WireConfig): CampaignKind {
  const field = body.campaignArn !== undefined ? 'campaignArn' : 'recommenderArn';
  if (body.campaignArn !== undefined && body.recommenderArn !== undefined) {
    throw new InvalidInputError([
      { field: 'campaignArn', message: 'give either campaignArn or recommenderArn, not both' },
    ]);
  }
  const name = resourceName(body[field], field === 'campaignArn' ? 'campaign' : 'recommender', field);
  const kind = (Object.keys(config.campaigns) as CampaignKind[]).find((k) => config.campaigns[k] === name);
  if (!kind) throw new ResourceNotFoundError(`${field} ${String(body[field])} does not exist`);
  return kind;
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

async function getRecommendations(
  recommender: Recommender,
  body: Body,
  config: WireConfig,
): Promise<WireResult> {
  rejectUnsupported(body, ['promotions']);
  const kind = campaignKind(body, config);
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

async function getPersonalizedRanking(
  recommender: Recommender,
  body: Body,
  config: WireConfig,
): Promise<WireResult> {
  if (campaignKind(body, config) !== 'personalizedRanking') {
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

async function putEvents(recommender: Recommender, body: Body, config: WireConfig): Promise<WireResult> {
  if (body.trackingId !== config.trackingId) {
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

function datasetOf(body: Body, expected: 'ITEMS' | 'USERS', config: WireConfig): void {
  const name = resourceName(body.datasetArn, 'dataset', 'datasetArn');
  if (name !== `${config.datasetGroupName}/${expected}`) {
    throw new ResourceNotFoundError(
      `datasetArn ${String(body.datasetArn)} is not the ${expected} dataset of this endpoint`,
    );
  }
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

async function putItems(recommender: Recommender, body: Body, config: WireConfig): Promise<WireResult> {
  datasetOf(body, 'ITEMS', config);
  await recommender.putItems({ items: records(body.items, 'items') } as never);
  return undefined;
}

async function putUsers(recommender: Recommender, body: Body, config: WireConfig): Promise<WireResult> {
  datasetOf(body, 'USERS', config);
  await recommender.putUsers({ users: records(body.users, 'users') } as never);
  return undefined;
}

type Operation = (recommender: Recommender, body: Body, config: WireConfig) => Promise<WireResult>;

/** One implementation per operation of WIRE_ROUTES (routes.ts), which gives their paths and shapes. */
export const WIRE_OPERATIONS: Readonly<Record<WireOperationName, Operation>> = {
  GetRecommendations: getRecommendations,
  GetPersonalizedRanking: getPersonalizedRanking,
  PutEvents: putEvents,
  PutItems: putItems,
  PutUsers: putUsers,
};
