import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';

type Item = Record<string, unknown>;
type Values = Record<string, unknown>;
type Names = Record<string, string>;

/**
 * A DynamoDB table behind aws-sdk-client-mock that understands the expressions DynamoDbFeatureStore sends
 * (ADD/SET/REMOVE updates, attribute_(not_)exists and </> conditions, whole-partition and begins_with/BETWEEN queries with Limit before
 * the filter, as DynamoDB applies them), so the store's behaviour can be tested like the memory store's.
 * Anything else fails the test loudly. With `pageSize`, a query answers at most that many items per page
 * (before the filter, as DynamoDB's 1 MB page) and a LastEvaluatedKey while more remain.
 */
export function fakeTable(
  documents: AwsClientStub<DynamoDBDocumentClient>,
  options: { readonly pageSize?: number } = {},
): Map<string, Item> {
  const items = new Map<string, Item>();
  const keyOf = (key: { pk?: unknown; sk?: unknown }) => `${key.pk}\u0000${key.sk}`;

  const conditionHolds = (
    item: Item | undefined,
    condition: string | undefined,
    names: Names,
    values: Values,
  ) => {
    if (condition === undefined) return true;
    if (condition === 'attribute_not_exists(pk)') return item === undefined;
    if (condition === 'attribute_exists(pk)') return item !== undefined;
    const match = /^attribute_not_exists\((#\w+)\) OR (#\w+) ([<>]) (:\w+)$/.exec(condition);
    if (!match) throw new Error(`fake table: unknown condition ${condition}`);
    const current = item?.[names[match[1]!]!];
    if (current === undefined) return true;
    const value = values[match[4]!] as number;
    return match[3] === '<' ? (current as number) < value : (current as number) > value;
  };

  const update = (key: Item, expression: string, names: Names, values: Values) => {
    const item = items.get(keyOf(key)) ?? { ...key };
    if (expression.startsWith('REMOVE ')) {
      for (const name of expression.slice('REMOVE '.length).split(', ')) delete item[names[name]!];
      items.set(keyOf(key), item);
      return;
    }
    const match = /^(?:ADD (.*?))?\s*(?:SET (.*))?$/.exec(expression);
    if (!match) throw new Error(`fake table: unknown update ${expression}`);
    for (const term of match[1]?.split(', ') ?? []) {
      const [name, value] = term.split(' ');
      const attribute = names[name!]!;
      item[attribute] = ((item[attribute] as number | undefined) ?? 0) + (values[value!] as number);
    }
    for (const term of match[2]?.split(', ') ?? []) {
      const [name, value] = term.split(' = ');
      item[name!.startsWith('#') ? names[name!]! : name!] = values[value!];
    }
    items.set(keyOf(key), item);
  };

  documents.on(TransactWriteCommand).callsFake((input) => {
    const actions = (input.TransactItems ?? []) as {
      Put?: { Item: Item; ConditionExpression?: string };
      Update?: {
        Key: Item;
        UpdateExpression: string;
        ExpressionAttributeNames?: Names;
        ExpressionAttributeValues?: Values;
      };
    }[];
    const reasons = actions.map((action) => {
      const put = action.Put;
      const ok = !put || conditionHolds(items.get(keyOf(put.Item)), put.ConditionExpression, {}, {});
      return { Code: ok ? 'None' : 'ConditionalCheckFailed' };
    });
    if (reasons.some((r) => r.Code !== 'None')) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: reasons,
      });
    }
    for (const action of actions) {
      if (action.Put) items.set(keyOf(action.Put.Item), { ...action.Put.Item });
      else if (action.Update) {
        const u = action.Update;
        update(
          u.Key,
          u.UpdateExpression,
          u.ExpressionAttributeNames ?? {},
          u.ExpressionAttributeValues ?? {},
        );
      }
    }
    return {};
  });

  documents.on(UpdateCommand).callsFake((input) => {
    const names = input.ExpressionAttributeNames ?? {};
    const values = input.ExpressionAttributeValues ?? {};
    if (!conditionHolds(items.get(keyOf(input.Key)), input.ConditionExpression, names, values)) {
      throw Object.assign(new Error('The conditional request failed'), {
        name: 'ConditionalCheckFailedException',
      });
    }
    update(input.Key, input.UpdateExpression, names, values);
    return {};
  });

  documents.on(GetCommand).callsFake((input) => ({ Item: items.get(keyOf(input.Key)) }));

  documents.on(QueryCommand).callsFake((input) => {
    const values = input.ExpressionAttributeValues ?? {};
    const condition = input.KeyConditionExpression as string;
    const inRange =
      condition === 'pk = :pk'
        ? () => true
        : condition === 'pk = :pk AND begins_with(sk, :e)'
          ? (sk: string) => sk.startsWith(values[':e'])
          : condition === 'pk = :pk AND sk BETWEEN :from AND :to'
            ? (sk: string) => sk >= values[':from'] && sk <= values[':to']
            : undefined;
    if (!inRange) throw new Error(`fake table: unknown key condition ${condition}`);
    let found = [...items.values()]
      .filter((item) => item.pk === values[':pk'] && inRange(item.sk as string))
      .sort((a, b) => ((a.sk as string) < (b.sk as string) ? -1 : 1));
    if (input.ScanIndexForward === false) found.reverse();
    if (input.ExclusiveStartKey) {
      const after = found.findIndex((item) => keyOf(item) === keyOf(input.ExclusiveStartKey!));
      found = found.slice(after + 1);
    }
    let lastKey: Item | undefined;
    if (options.pageSize !== undefined && found.length > options.pageSize) {
      found = found.slice(0, options.pageSize);
      lastKey = { pk: found.at(-1)!.pk, sk: found.at(-1)!.sk };
    }
    if (input.Limit !== undefined) found = found.slice(0, input.Limit);
    if (input.FilterExpression === 'expiresAt > :now') {
      found = found.filter((item) => (item.expiresAt as number) > values[':now']);
    } else if (input.FilterExpression !== undefined) {
      throw new Error(`fake table: unknown filter ${input.FilterExpression}`);
    }
    return { Items: found, ...(lastKey && { LastEvaluatedKey: lastKey }) };
  });
  return items;
}
