import { DescribeSchemaCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { awsCall } from '../../src/aws/aws-errors.ts';
import { parseSchema } from '../../src/schemas/load.ts';
import type { DatasetSchema, DatasetType } from '../../src/schemas/types.ts';

/**
 * The schemas Personalize holds for the given dataset types: the deployed schemas, not the repository's
 * files, are what imports are checked against.
 */
export async function deployedSchemas(
  client: PersonalizeClient,
  schemaArns: Readonly<Partial<Record<DatasetType, string>>>,
  types: readonly DatasetType[],
): Promise<Partial<Record<DatasetType, DatasetSchema>>> {
  const entries = await Promise.all(
    types.map(async (type) => {
      const schemaArn = schemaArns[type];
      const described = await awsCall(
        { action: 'personalize:DescribeSchema', resource: `schema ${schemaArn}` },
        () => client.send(new DescribeSchemaCommand({ schemaArn })),
      );
      return [type, parseSchema(type, described.schema?.schema ?? '', schemaArn)] as const;
    }),
  );
  return Object.fromEntries(entries);
}
