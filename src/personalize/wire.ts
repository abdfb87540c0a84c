import type {
  PutEventsCommandInput,
  PutItemsCommandInput,
  PutUsersCommandInput,
} from '@aws-sdk/client-personalize-events';
import type { PredictedItem as SdkPredictedItem } from '@aws-sdk/client-personalize-runtime';
import type {
  FilterSelection,
  PredictedItem,
  PropertyValue,
  PutEventsRequest,
  PutItemsRequest,
  PutUsersRequest,
} from '../recommender/types.ts';

/** `properties` travel as JSON text (a `jsonvalue` member), so we stringify rather than rely on the SDK. */
const json = (properties: Readonly<Record<string, PropertyValue>> | undefined) =>
  properties === undefined ? undefined : JSON.stringify(properties);

/** Personalize takes metadata columns per dataset; only the Items dataset's are returned with items. */
function metadataColumnsInput(columns: readonly string[] | undefined) {
  return columns === undefined || columns.length === 0 ? undefined : { ITEMS: [...columns] };
}

/** Members every read operation shares: context, metadata columns and the filter (ranking has no numResults). */
export function readInput(
  request: FilterSelection & {
    readonly context?: Readonly<Record<string, string>>;
    readonly metadataColumns?: readonly string[];
  },
  filterArn: string | undefined,
) {
  const metadataColumns = metadataColumnsInput(request.metadataColumns);
  return {
    ...(request.context !== undefined && { context: { ...request.context } }),
    ...(metadataColumns !== undefined && { metadataColumns }),
    ...filterInput(request, filterArn),
  };
}

function filterInput(selection: FilterSelection, filterArn: string | undefined) {
  return {
    ...(filterArn !== undefined && { filterArn }),
    ...(selection.filterValues !== undefined && { filterValues: { ...selection.filterValues } }),
  };
}

/** Items without an id cannot be used by anyone; the model never returns them, the types merely allow it. */
export function predictedItems(list: readonly SdkPredictedItem[] | undefined): PredictedItem[] {
  const items: PredictedItem[] = [];
  for (const item of list ?? []) {
    if (item.itemId === undefined) continue;
    items.push({
      itemId: item.itemId,
      ...(item.score !== undefined && { score: item.score }),
      ...(item.metadata !== undefined && { metadata: item.metadata }),
    });
  }
  return items;
}

export function putEventsInput(trackingId: string, request: PutEventsRequest): PutEventsCommandInput {
  return {
    trackingId,
    sessionId: request.sessionId,
    ...(request.userId !== undefined && { userId: request.userId }),
    eventList: request.eventList.map((event) => ({
      eventType: event.eventType,
      sentAt: event.sentAt,
      ...(event.eventId !== undefined && { eventId: event.eventId }),
      ...(event.eventValue !== undefined && { eventValue: event.eventValue }),
      ...(event.itemId !== undefined && { itemId: event.itemId }),
      ...(event.properties !== undefined && { properties: json(event.properties) }),
      ...(event.recommendationId !== undefined && { recommendationId: event.recommendationId }),
      ...(event.impression !== undefined && { impression: [...event.impression] }),
    })),
  };
}

export function putItemsInput(datasetArn: string, request: PutItemsRequest): PutItemsCommandInput {
  return {
    datasetArn,
    items: request.items.map((item) => ({
      itemId: item.itemId,
      ...(item.properties !== undefined && { properties: json(item.properties) }),
    })),
  };
}

export function putUsersInput(datasetArn: string, request: PutUsersRequest): PutUsersCommandInput {
  return {
    datasetArn,
    users: request.users.map((user) => ({
      userId: user.userId,
      ...(user.properties !== undefined && { properties: json(user.properties) }),
    })),
  };
}
