import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  CreateCampaignCommand,
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
  ListSolutionsCommand,
  ListTagsForResourceCommand,
  type PersonalizeClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateCampaignCommand,
  UpdateSolutionCommand,
} from '@aws-sdk/client-personalize';
import {
  GetPersonalizedRankingCommand,
  GetRecommendationsCommand,
} from '@aws-sdk/client-personalize-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';
import { dispatchControlPlane } from '../../src/local-personalize/index.ts';
import { handleWireRequest } from '../../src/personalize-wire/index.ts';
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

  describe('configuration values the service rejects (InvalidInputException naming member and limit, nothing stored)', () => {
    const UP = 'arn:aws:personalize:::recipe/aws-user-personalization';
    const SIMS = 'arn:aws:personalize:::recipe/aws-sims';
    const A = 'arn:aws:personalize:us-east-1:000000000000';
    let datasetGroupArn: string;
    beforeAll(async () => {
      datasetGroupArn = (await server.personalize.send(new CreateDatasetGroupCommand({ name: 'configs' })))
        .datasetGroupArn!;
      await waitFor(
        () => server.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn })),
        (r) => r.datasetGroup?.status === 'ACTIVE',
      );
    });
    const createSolution = (
      name: string,
      solutionConfig: NonNullable<ConstructorParameters<typeof CreateSolutionCommand>[0]['solutionConfig']>,
      recipeArn = UP,
    ) =>
      server.personalize.send(
        new CreateSolutionCommand({ name, datasetGroupArn, recipeArn, solutionConfig }),
      );
    const stored = async () =>
      (await server.personalize.send(new ListSolutionsCommand({ datasetGroupArn }))).solutions?.map(
        (s) => s.name,
      );

    it("rejects hyperparameters outside the recipe's documented ranges, by recipe", async () => {
      const cases: [string, Parameters<typeof createSolution>[1], string, RegExp][] = [
        [
          'hd-negative',
          { algorithmHyperParameters: { hidden_dimension: '-5' } },
          UP,
          /^solutionConfig\.algorithmHyperParameters\.hidden_dimension: must be an integer from 32 to 256$/,
        ],
        [
          'hd-text',
          { algorithmHyperParameters: { hidden_dimension: 'big' } },
          UP,
          /hidden_dimension: must be an integer from 32 to 256/,
        ],
        ['bptt', { algorithmHyperParameters: { bptt: '33' } }, UP, /\.bptt: must be an integer from 2 to 32/],
        [
          'recency',
          { algorithmHyperParameters: { recency_mask: 'yes' } },
          UP,
          /\.recency_mask: must be true or false/,
        ],
        [
          'percentile',
          { featureTransformationParameters: { max_user_history_length_percentile: '1.5' } },
          UP,
          /^solutionConfig\.featureTransformationParameters\.max_user_history_length_percentile: must be a number from 0 to 1$/,
        ],
        [
          'sims-discount',
          { algorithmHyperParameters: { popularity_discount_factor: '2' } },
          SIMS,
          /\.popularity_discount_factor: must be a number from 0 to 1/,
        ],
        [
          'sims-cointeraction',
          { algorithmHyperParameters: { min_cointeraction_count: '2.5' } },
          SIMS,
          /\.min_cointeraction_count: must be an integer from 0 to 10/,
        ],
      ];
      for (const [name, config, recipe, message] of cases) {
        await expect(createSolution(name, config, recipe), name).rejects.toThrow(
          rejection('InvalidInputException', message),
        );
      }
      expect(await stored()).toEqual([]);
    });

    it('rejects hpoResourceConfig counts that are not integer strings within 1..40 and 1..10', async () => {
      for (const [i, hpoResourceConfig, message] of [
        [
          1,
          { maxNumberOfTrainingJobs: 'abc' },
          /\.hpoResourceConfig\.maxNumberOfTrainingJobs: must be an integer from 1 to 40$/,
        ],
        [2, { maxNumberOfTrainingJobs: '41' }, /maxNumberOfTrainingJobs: must be an integer from 1 to 40$/],
        [
          3,
          { maxParallelTrainingJobs: '0' },
          /^solutionConfig\.hpoConfig\.hpoResourceConfig\.maxParallelTrainingJobs: must be an integer from 1 to 10$/,
        ],
      ] as const) {
        await expect(createSolution(`hpo-${i}`, { hpoConfig: { hpoResourceConfig } })).rejects.toThrow(
          rejection('InvalidInputException', message),
        );
      }
      expect(await stored()).toEqual([]);
    });

    it('rejects a schedulingExpression other than rate(N days) with N from 1 to 30, on create and update', async () => {
      for (const [i, schedulingExpression] of ['rate(0 days)', 'rate(31 days)', 'rate(7 hours)'].entries()) {
        await expect(
          createSolution(`schedule-${i}`, { autoTrainingConfig: { schedulingExpression } }),
        ).rejects.toThrow(
          rejection(
            'InvalidInputException',
            /^solutionConfig\.autoTrainingConfig\.schedulingExpression: must be rate\(N days\) with N from 1 to 30$/,
          ),
        );
        await expect(
          server.personalize.send(
            new UpdateSolutionCommand({
              solutionArn: `${A}:solution/absent`,
              solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression } },
            }),
          ),
        ).rejects.toThrow(
          rejection(
            'InvalidInputException',
            /^solutionUpdateConfig\.autoTrainingConfig\.schedulingExpression: must be rate\(N days\) with N from 1 to 30$/,
          ),
        );
      }
      expect(await stored()).toEqual([]);
    });

    it('accepts the documented bounds and names it does not know', async () => {
      await createSolution('valid-up', {
        algorithmHyperParameters: { hidden_dimension: '256', bptt: '2', recency_mask: 'false', my_own: 'x' },
        featureTransformationParameters: { min_user_history_length_percentile: '0' },
        hpoConfig: { hpoResourceConfig: { maxNumberOfTrainingJobs: '40', maxParallelTrainingJobs: '1' } },
        autoTrainingConfig: { schedulingExpression: 'rate(1 day)' },
      });
      await createSolution(
        'valid-sims',
        { algorithmHyperParameters: { popularity_discount_factor: '1', min_cointeraction_count: '10' } },
        SIMS,
      );
      expect((await stored())?.sort()).toEqual(['valid-sims', 'valid-up']);
    });

    it('rejects an explorationWeight outside 0..1 and an explorationItemAgeCutOff that is not above 0', async () => {
      const version = `${A}:solution/absent/0a1b2c3d`;
      for (const [i, itemExplorationConfig, message] of [
        [
          1,
          { explorationWeight: '5' },
          /^campaignConfig\.itemExplorationConfig\.explorationWeight: must be a number from 0 to 1$/,
        ],
        [2, { explorationWeight: 'high' }, /explorationWeight: must be a number from 0 to 1$/],
        [3, { explorationItemAgeCutOff: '0' }, /explorationItemAgeCutOff: must be a number above 0$/],
      ] as const) {
        await expect(
          server.personalize.send(
            new CreateCampaignCommand({
              name: `exploration-${i}`,
              solutionVersionArn: version,
              campaignConfig: { itemExplorationConfig },
            }),
          ),
        ).rejects.toThrow(rejection('InvalidInputException', message));
        await expect(
          server.personalize.send(
            new UpdateCampaignCommand({
              campaignArn: `${A}:campaign/absent`,
              campaignConfig: { itemExplorationConfig },
            }),
          ),
        ).rejects.toThrow(rejection('InvalidInputException', message));
      }
    });

    it('rejects tag keys and values starting with the reserved aws: prefix', async () => {
      await expect(
        server.personalize.send(
          new TagResourceCommand({
            resourceArn: datasetGroupArn,
            tags: [{ tagKey: 'aws:x', tagValue: 'v' }],
          }),
        ),
      ).rejects.toThrow(
        rejection('InvalidInputException', /^tags\.0\.tagKey: must not start with aws: \(reserved\)$/),
      );
      await expect(
        server.personalize.send(
          new TagResourceCommand({
            resourceArn: datasetGroupArn,
            tags: [{ tagKey: 'team', tagValue: 'AWS:x' }],
          }),
        ),
      ).rejects.toThrow(
        rejection('InvalidInputException', /^tags\.0\.tagValue: must not start with aws: \(reserved\)$/),
      );
      await expect(
        server.personalize.send(
          new CreateDatasetGroupCommand({ name: 'reserved-tag', tags: [{ tagKey: 'Aws:y', tagValue: '' }] }),
        ),
      ).rejects.toThrow(rejection('InvalidInputException', /^tags\.0\.tagKey: must not start with aws:/));
      await expect(
        server.personalize.send(
          new UntagResourceCommand({ resourceArn: datasetGroupArn, tagKeys: ['aws:x'] }),
        ),
      ).rejects.toThrow(rejection('InvalidInputException', /^tagKeys\.0: must not start with aws:/));
      await server.personalize.send(
        new TagResourceCommand({
          resourceArn: datasetGroupArn,
          tags: [{ tagKey: 'team:aws:x', tagValue: 'v' }],
        }),
      );
      const { tags } = await server.personalize.send(
        new ListTagsForResourceCommand({ resourceArn: datasetGroupArn }),
      );
      expect(tags).toEqual([{ tagKey: 'team:aws:x', tagValue: 'v' }]);
    });
  });

  it('tells a body that is not JSON from JSON that is not an object, on the control plane and the runtime', async () => {
    const controlPlane = async (body: string) =>
      JSON.parse((await dispatchControlPlane(server.plane, 'AmazonPersonalize.ListSchemas', body)).body);
    const runtime = async (body: string) =>
      JSON.parse((await handleWireRequest(server.engine, '/recommendations', body)).body);
    for (const answer of [controlPlane, runtime]) {
      expect(await answer('{bad')).toMatchObject({ message: '(body): must be valid JSON' });
      expect(await answer('[1]')).toMatchObject({ message: '(body): must be a JSON object' });
    }
  });

  it('words the numResults range of batch jobs as every other range ("must be 1 to 500")', async () => {
    const A = 'arn:aws:personalize:us-east-1:000000000000';
    const job = (numResults: number) => ({
      jobName: 'range',
      solutionVersionArn: `${A}:solution/absent/0a1b2c3d`,
      numResults,
      roleArn: ROLE,
      jobInput: { s3DataSource: { path: 's3://bucket/in.json' } },
      jobOutput: { s3DataDestination: { path: 's3://bucket/out/' } },
    });
    for (const numResults of [0, 501]) {
      await expect(
        server.personalize.send(new CreateBatchInferenceJobCommand(job(numResults))),
      ).rejects.toThrow(rejection('InvalidInputException', /^numResults: must be 1 to 500$/));
    }
    for (const numResults of [0, 5_000_001]) {
      await expect(
        server.personalize.send(new CreateBatchSegmentJobCommand(job(numResults))),
      ).rejects.toThrow(rejection('InvalidInputException', /^numResults: must be 1 to 5000000$/));
    }
  });

  it('asks GetRecommendations for campaignArn or recommenderArn, GetPersonalizedRanking for campaignArn', async () => {
    await expect(server.runtime.send(new GetRecommendationsCommand({ userId: 'u1' }))).rejects.toThrow(
      rejection('InvalidInputException', /^campaignArn or recommenderArn: one is required$/),
    );
    await expect(
      server.runtime.send(new GetPersonalizedRankingCommand({ userId: 'u1', inputList: ['i1'] } as never)),
    ).rejects.toThrow(rejection('InvalidInputException', /^campaignArn: is required$/));
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
