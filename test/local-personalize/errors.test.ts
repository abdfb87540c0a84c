import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateFilterCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  DeleteDatasetGroupCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';
import { DEFAULT_SCHEMA_DIR } from '../../src/schemas/index.ts';
import { startTestServer, type TestServer, waitFor } from './server.ts';

const ROLE = 'arn:aws:iam::000000000000:role/personalize';
const rejection = (name: string, message?: RegExp) =>
  expect.objectContaining({ name, ...(message && { message: expect.stringMatching(message) }) });

/** An ACTIVE dataset group with an ACTIVE Interactions dataset. */
async function groupWithDataset(cp: PersonalizeClient, name: string) {
  const { datasetGroupArn } = await cp.send(new CreateDatasetGroupCommand({ name }));
  await waitFor(
    () => cp.send(new DescribeDatasetGroupCommand({ datasetGroupArn })),
    (r) => r.datasetGroup?.status === 'ACTIVE',
  );
  const { schemaArn } = await cp.send(
    new CreateSchemaCommand({
      name: `${name}-schema`,
      schema: readFileSync(join(DEFAULT_SCHEMA_DIR, 'interactions.json'), 'utf8'),
    }),
  );
  const { datasetArn } = await cp.send(
    new CreateDatasetCommand({
      name: `${name}-interactions`,
      schemaArn,
      datasetGroupArn,
      datasetType: 'Interactions',
    }),
  );
  await waitFor(
    () => cp.send(new DescribeDatasetCommand({ datasetArn })),
    (r) => r.dataset?.status === 'ACTIVE',
  );
  return { datasetGroupArn: datasetGroupArn!, datasetArn: datasetArn! };
}

describe('Local Personalize: errors', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await generateDataset({ outDir: join(server.s3Dir, 'bucket', 'data'), interactions: 1500, seed: 5 });
  });
  afterAll(() => server.stop());

  it('fails to delete a dataset group that still holds a dataset (ResourceInUseException)', async () => {
    const { datasetGroupArn } = await groupWithDataset(server.personalize, 'order');
    await expect(server.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn }))).rejects.toThrow(
      rejection('ResourceInUseException', /still has datasets/),
    );
  });

  it('fails on a name already taken (ResourceAlreadyExistsException)', async () => {
    await server.personalize.send(new CreateDatasetGroupCommand({ name: 'twice' }));
    await expect(server.personalize.send(new CreateDatasetGroupCommand({ name: 'twice' }))).rejects.toThrow(
      rejection('ResourceAlreadyExistsException'),
    );
  });

  it('fails on a name outside 1..63 [a-zA-Z0-9][a-zA-Z0-9-_]* naming the member (InvalidInputException)', async () => {
    await expect(server.personalize.send(new CreateDatasetGroupCommand({ name: '-bad' }))).rejects.toThrow(
      rejection('InvalidInputException', /^name: must match/),
    );
    await expect(
      server.personalize.send(new CreateDatasetGroupCommand({ name: 'x'.repeat(64) })),
    ).rejects.toThrow(rejection('InvalidInputException', /^name: must be 1 to 63 characters/));
  });

  it('fails an INCREMENTAL first import (InvalidInputException)', async () => {
    const { datasetArn } = await groupWithDataset(server.personalize, 'incremental');
    await expect(
      server.personalize.send(
        new CreateDatasetImportJobCommand({
          jobName: 'incremental-first',
          datasetArn,
          importMode: 'INCREMENTAL',
          dataSource: { dataLocation: 's3://bucket/data/interactions.csv' },
          roleArn: ROLE,
        }),
      ),
    ).rejects.toThrow(
      rejection('InvalidInputException', /^importMode: the first import of a dataset must be FULL/),
    );
  });

  it('fails a filter expression that does not parse (InvalidInputException)', async () => {
    const { datasetGroupArn } = await groupWithDataset(server.personalize, 'filters');
    await expect(
      server.personalize.send(
        new CreateFilterCommand({
          name: 'broken',
          datasetGroupArn,
          filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN',
        }),
      ),
    ).rejects.toThrow(rejection('InvalidInputException', /filterExpression/));
  });

  it('fails a solution whose recipe the local engine does not implement, naming recipeArn (InvalidInputException)', async () => {
    const { datasetGroupArn } = await groupWithDataset(server.personalize, 'recipes');
    await expect(
      server.personalize.send(
        new CreateSolutionCommand({
          name: 'trending',
          datasetGroupArn,
          recipeArn: 'arn:aws:personalize:::recipe/aws-trending-now',
        }),
      ),
    ).rejects.toThrow(rejection('InvalidInputException', /recipeArn: .*aws-trending-now is not implemented/));
  });

  it('refuses S3 locations that leave the S3 folder: .., encoded separators (InvalidInputException)', async () => {
    const { datasetArn } = await groupWithDataset(server.personalize, 'traversal');
    for (const [i, dataLocation] of [
      's3://bucket/../../state/state.json',
      's3://bucket/data/%2e%2e/%2e%2e/x.csv',
      's3://bucket/data/..%2Fx.csv',
      's3://bucket//etc/passwd',
      's3://../etc/passwd',
    ].entries()) {
      await expect(
        server.personalize.send(
          new CreateDatasetImportJobCommand({
            jobName: `traversal-${i}`,
            datasetArn,
            dataSource: { dataLocation },
            roleArn: ROLE,
          }),
        ),
      ).rejects.toThrow(rejection('InvalidInputException', /^dataSource\.dataLocation: /));
    }
  });

  it('fails an import through a symlink that leads outside the S3 folder (CREATE FAILED)', async () => {
    const { datasetArn } = await groupWithDataset(server.personalize, 'symlink');
    const outside = join(server.root, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(
      join(outside, 'secret.csv'),
      readFileSync(join(server.s3Dir, 'bucket/data/interactions.csv')),
    );
    mkdirSync(join(server.s3Dir, 'links'), { recursive: true });
    symlinkSync(outside, join(server.s3Dir, 'links', 'out'));
    const { datasetImportJobArn } = await server.personalize.send(
      new CreateDatasetImportJobCommand({
        jobName: 'through-symlink',
        datasetArn,
        dataSource: { dataLocation: 's3://links/out/secret.csv' },
        roleArn: ROLE,
      }),
    );
    const job = await waitFor(
      () => server.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
      (r) => r.datasetImportJob?.status === 'CREATE FAILED' || r.datasetImportJob?.status === 'ACTIVE',
    );
    expect(job.datasetImportJob?.status).toBe('CREATE FAILED');
    expect(job.datasetImportJob?.failureReason).toMatch(/leads outside the local S3 folder/);
  });

  it('fails an import whose CSV breaks the schema, with the first error as failureReason', async () => {
    const { datasetArn } = await groupWithDataset(server.personalize, 'badcsv');
    const good = readFileSync(join(server.s3Dir, 'bucket/data/interactions.csv'), 'utf8').split('\n');
    good[5] = good[5]!.replace(/,(\d+),/, ',1700000000000,');
    mkdirSync(join(server.s3Dir, 'bucket', 'bad'), { recursive: true });
    writeFileSync(join(server.s3Dir, 'bucket/bad/interactions.csv'), good.join('\n'));
    const { datasetImportJobArn } = await server.personalize.send(
      new CreateDatasetImportJobCommand({
        jobName: 'bad-csv',
        datasetArn,
        dataSource: { dataLocation: 's3://bucket/bad/interactions.csv' },
        roleArn: ROLE,
      }),
    );
    const job = await waitFor(
      () => server.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
      (r) => r.datasetImportJob?.status === 'CREATE FAILED' || r.datasetImportJob?.status === 'ACTIVE',
    );
    expect(job.datasetImportJob?.status).toBe('CREATE FAILED');
    expect(job.datasetImportJob?.failureReason).toMatch(
      /^timestamp-milliseconds: .*\(interactions\.csv line 6\)$/,
    );
  });

  it('fails an import of fewer than 1000 interactions records, counting the job as a whole', async () => {
    const { datasetArn } = await groupWithDataset(server.personalize, 'few-rows');
    const lines = readFileSync(join(server.s3Dir, 'bucket/data/interactions.csv'), 'utf8').split('\n');
    mkdirSync(join(server.s3Dir, 'bucket', 'short'), { recursive: true });
    writeFileSync(join(server.s3Dir, 'bucket/short/interactions.csv'), lines.slice(0, 900).join('\n'));
    const { datasetImportJobArn } = await server.personalize.send(
      new CreateDatasetImportJobCommand({
        jobName: 'few-rows',
        datasetArn,
        dataSource: { dataLocation: 's3://bucket/short/' },
        roleArn: ROLE,
      }),
    );
    const job = await waitFor(
      () => server.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
      (r) => r.datasetImportJob?.status === 'CREATE FAILED' || r.datasetImportJob?.status === 'ACTIVE',
    );
    expect(job.datasetImportJob?.status).toBe('CREATE FAILED');
    expect(job.datasetImportJob?.failureReason).toBe(
      'min-interactions: an interactions import needs at least 1000 records, s3://bucket/short/ has 899',
    );
  });

  describe('with slow status steps', () => {
    it('fails to create a dataset in a dataset group that is not ACTIVE yet (ResourceInUseException)', async () => {
      server.plane.lifecycle.latencyMs = 60_000;
      try {
        const { datasetGroupArn } = await server.personalize.send(
          new CreateDatasetGroupCommand({ name: 'pending' }),
        );
        const { schemaArn } = await server.personalize.send(
          new CreateSchemaCommand({
            name: 'pending-schema',
            schema: readFileSync(join(DEFAULT_SCHEMA_DIR, 'interactions.json'), 'utf8'),
          }),
        );
        await expect(
          server.personalize.send(
            new CreateDatasetCommand({
              name: 'pending-ds',
              schemaArn,
              datasetGroupArn,
              datasetType: 'Interactions',
            }),
          ),
        ).rejects.toThrow(rejection('ResourceInUseException', /is CREATE PENDING, it must be ACTIVE/));
      } finally {
        server.plane.lifecycle.latencyMs = 0;
      }
    });

    it('refuses a sixth import while five are pending (LimitExceededException)', async () => {
      const { datasetArn } = await groupWithDataset(server.personalize, 'limits');
      server.plane.lifecycle.latencyMs = 60_000;
      try {
        const create = (i: number) =>
          server.personalize.send(
            new CreateDatasetImportJobCommand({
              jobName: `limit-${i}`,
              datasetArn,
              dataSource: { dataLocation: 's3://bucket/data/interactions.csv' },
              roleArn: ROLE,
            }),
          );
        for (let i = 1; i <= 5; i++) await create(i);
        await expect(create(6)).rejects.toThrow(rejection('LimitExceededException', /More than 5 resources/));
      } finally {
        server.plane.lifecycle.latencyMs = 0;
      }
    });
  });
});
