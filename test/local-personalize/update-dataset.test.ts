import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  UpdateDatasetCommand,
} from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetComplete, onDatasetEvent } from '../../lambdas/workflow/dataset-resource.ts';
import { DEFAULT_SCHEMA_DIR } from '../../src/schemas/index.ts';
import { startTestServer, type TestServer, waitFor } from './server.ts';

type Avro = { fields: { name: string; type: unknown; categorical?: boolean }[] } & Record<string, unknown>;

const baseSchema = (type: string): Avro =>
  JSON.parse(readFileSync(join(DEFAULT_SCHEMA_DIR, `${type}.json`), 'utf8'));
const withField = (avro: Avro, field: Avro['fields'][number]) => ({
  ...avro,
  fields: [...avro.fields, field],
});
const PLATFORM = { name: 'PLATFORM', type: ['null', 'string'], categorical: true };

describe('Local Personalize: UpdateDataset (schema replacement)', () => {
  let server: TestServer;
  let datasetGroupArn: string;
  let itemsArn: string;
  let interactionsArn: string;
  let itemsSchemaArn: string;

  const schema = async (name: string, avro: object) =>
    (await server.personalize.send(new CreateSchemaCommand({ name, schema: JSON.stringify(avro) })))
      .schemaArn!;
  const describeDataset = async (datasetArn: string) =>
    (await server.personalize.send(new DescribeDatasetCommand({ datasetArn }))).dataset!;
  const importItems = async (jobName: string, csv: string, importMode: 'FULL' | 'INCREMENTAL') => {
    mkdirSync(join(server.s3Dir, 'bucket'), { recursive: true });
    writeFileSync(join(server.s3Dir, 'bucket', `${jobName}.csv`), csv);
    const { datasetImportJobArn } = await server.personalize.send(
      new CreateDatasetImportJobCommand({
        jobName,
        datasetArn: itemsArn,
        importMode,
        dataSource: { dataLocation: `s3://bucket/${jobName}.csv` },
      }),
    );
    return waitFor(
      () => server.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
      (r) =>
        r.datasetImportJob?.status !== 'CREATE PENDING' &&
        r.datasetImportJob?.status !== 'CREATE IN_PROGRESS',
    );
  };

  beforeAll(async () => {
    server = await startTestServer();
    ({ datasetGroupArn } = (await server.personalize.send(
      new CreateDatasetGroupCommand({ name: 'shop' }),
    )) as { datasetGroupArn: string });
    await waitFor(
      () => server.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn })),
      (r) => r.datasetGroup?.status === 'ACTIVE',
    );
    itemsSchemaArn = await schema('shop-items-1', baseSchema('items'));
    const create = async (name: string, datasetType: string, schemaArn: string) =>
      (
        await server.personalize.send(
          new CreateDatasetCommand({ name, datasetGroupArn, datasetType, schemaArn }),
        )
      ).datasetArn!;
    itemsArn = await create('shop-items', 'Items', itemsSchemaArn);
    interactionsArn = await create(
      'shop-interactions',
      'Interactions',
      await schema('shop-int-1', baseSchema('interactions')),
    );
    for (const arn of [itemsArn, interactionsArn]) {
      await waitFor(
        () => describeDataset(arn),
        (d) => d.status === 'ACTIVE',
      );
    }
  });
  afterAll(() => server.stop());

  it('refuses a schema that drops a field, changes one, or adds one that cannot be null', async () => {
    const base = baseSchema('items');
    const dropped = { ...base, fields: base.fields.filter((f) => f.name !== 'BRAND') };
    const retyped = {
      ...base,
      fields: base.fields.map((f) => (f.name === 'PRICE' ? { ...f, type: 'double' } : f)),
    };
    const required = withField(base, { name: 'PLATFORM', type: 'string', categorical: true });
    for (const [name, avro, reason] of [
      ['shop-items-dropped', dropped, /drops the field BRAND/],
      ['shop-items-retyped', retyped, /changes the field PRICE/],
      ['shop-items-required', required, /adds the field PLATFORM, which must accept null/],
    ] as const) {
      const schemaArn = await schema(name, avro);
      await expect(
        server.personalize.send(new UpdateDatasetCommand({ datasetArn: itemsArn, schemaArn })),
      ).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(reason) });
    }
    expect((await describeDataset(itemsArn)).schemaArn).toBe(itemsSchemaArn);
  });

  it('refuses to replace the schema of an Interactions dataset', async () => {
    const schemaArn = await schema('shop-int-2', withField(baseSchema('interactions'), PLATFORM));
    await expect(
      server.personalize.send(new UpdateDatasetCommand({ datasetArn: interactionsArn, schemaArn })),
    ).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: expect.stringContaining('Interactions dataset cannot be replaced'),
    });
  });

  it('swaps a compatible schema in place: the imported rows stay and the new column takes data', async () => {
    // Arrange: one item imported under the old schema.
    const header = 'ITEM_ID,CATEGORY,TAGS,BRAND,PRICE,CREATION_TIMESTAMP,DESCRIPTION';
    const first = await importItems('items-1', `${header}\ni1,shoes,,acme,9.5,1700000000,\n`, 'FULL');
    expect(first.datasetImportJob?.status).toBe('ACTIVE');
    const wider = await schema('shop-items-2', withField(baseSchema('items'), PLATFORM));

    // Act
    const { datasetArn } = await server.personalize.send(
      new UpdateDatasetCommand({ datasetArn: itemsArn, schemaArn: wider }),
    );
    const swapped = await waitFor(
      () => describeDataset(itemsArn),
      (d) => d.latestDatasetUpdate?.status === 'ACTIVE',
    );
    const second = await importItems(
      'items-2',
      `${header},PLATFORM\ni2,bags,,acme,20,1700000001,,web\n`,
      'INCREMENTAL',
    );

    // Assess: same dataset, new schema, both rows kept in the new column order.
    expect(datasetArn).toBe(itemsArn);
    expect(swapped).toMatchObject({ datasetArn: itemsArn, schemaArn: wider, status: 'ACTIVE' });
    expect(swapped.latestDatasetUpdate?.schemaArn).toBe(wider);
    expect(second.datasetImportJob?.status).toBe('ACTIVE');
    const stored = server.plane.lookup('dataset', itemsArn);
    const rows = readFileSync(join(server.plane.store.dataDir(stored.id), 'bulk.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(rows).toEqual([
      `${header},PLATFORM`,
      'i1,shoes,,acme,9.5,1700000000,,',
      'i2,bags,,acme,20,1700000001,,web',
    ]);
  });

  it('refuses an update while the dataset is not ACTIVE', async () => {
    server.plane.lifecycle.latencyMs = 200;
    try {
      const { datasetArn } = await server.personalize.send(
        new CreateDatasetCommand({
          name: 'shop-users',
          datasetGroupArn,
          datasetType: 'Users',
          schemaArn: await schema('shop-users-1', baseSchema('users')),
        }),
      );
      const schemaArn = await schema('shop-users-2', withField(baseSchema('users'), PLATFORM));
      await expect(
        server.personalize.send(new UpdateDatasetCommand({ datasetArn, schemaArn })),
      ).rejects.toMatchObject({ name: 'ResourceInUseException' });
    } finally {
      server.plane.lifecycle.latencyMs = 0;
    }
  });

  it('is what Custom::PersonalizeDataset drives: create, then swap the schema in place', async () => {
    // The stack is not rolling back: a forward update.
    const cloudFormation = mockClient(CloudFormationClient);
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'p-dev-data', StackStatus: 'UPDATE_IN_PROGRESS', CreationTime: new Date() }],
    });
    const clients = { personalize: server.personalize, cloudFormation: new CloudFormationClient({}) };
    const { datasetGroupArn: group } = (await server.personalize.send(
      new CreateDatasetGroupCommand({ name: 'cfn' }),
    )) as { datasetGroupArn: string };
    await waitFor(
      () => server.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn: group })),
      (r) => r.datasetGroup?.status === 'ACTIVE',
    );
    const v1 = await schema('cfn-items-1', baseSchema('items'));
    const v2 = await schema('cfn-items-2', withField(baseSchema('items'), PLATFORM));
    const properties = (schemaArn: string) => ({
      ServiceToken: 'token',
      Name: 'cfn-items',
      DatasetGroupArn: group,
      DatasetType: 'Items',
      SchemaArn: schemaArn,
      Tags: { stage: 'dev' },
    });
    const base = { StackId: 'stack', RequestId: 'r', LogicalResourceId: 'ItemsDataset', ResourceType: 'x' };
    const settle = async (event: object) => {
      const response = await onDatasetEvent(clients, event as never);
      const merged = { ...event, ...response } as never;
      await waitFor(
        () => datasetComplete(clients, merged),
        (done) => done,
      );
      return response;
    };

    try {
      const created = await settle({ ...base, RequestType: 'Create', ResourceProperties: properties(v1) });
      const updated = await settle({
        ...base,
        RequestType: 'Update',
        PhysicalResourceId: created.PhysicalResourceId,
        ResourceProperties: properties(v2),
        OldResourceProperties: properties(v1),
      });

      expect(updated.PhysicalResourceId).toBe(created.PhysicalResourceId);
      expect(await describeDataset(String(created.PhysicalResourceId))).toMatchObject({
        name: 'cfn-items',
        schemaArn: v2,
        status: 'ACTIVE',
      });
    } finally {
      cloudFormation.restore();
    }
  });
});
