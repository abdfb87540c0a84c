import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateCampaignCommand,
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DeleteCampaignCommand,
  DeleteDatasetCommand,
  DeleteDatasetGroupCommand,
  DeleteSchemaCommand,
  DeleteSolutionCommand,
  DescribeCampaignCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  ListCampaignsCommand,
  ListDatasetGroupsCommand,
  ListDatasetsCommand,
  ListSchemasCommand,
  ListSolutionsCommand,
} from '@aws-sdk/client-personalize';
import { GetRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';
import { openLocalPersonalize } from '../../src/local-personalize/index.ts';
import { DEFAULT_SCHEMA_DIR } from '../../src/schemas/index.ts';
import { startTestServer, type TestServer, waitFor, waitGone } from './server.ts';

const METRIC_KEYS = [
  'coverage',
  'mean_reciprocal_rank_at_25',
  'normalized_discounted_cumulative_gain_at_10',
  'normalized_discounted_cumulative_gain_at_25',
  'normalized_discounted_cumulative_gain_at_5',
  'precision_at_10',
  'precision_at_25',
  'precision_at_5',
];

describe('Local Personalize: the whole lifecycle through the AWS SDK', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await generateDataset({ outDir: join(server.s3Dir, 'demo-bucket', 'data'), interactions: 6000, seed: 3 });
  });
  afterAll(() => server.stop());

  it('creates, trains, serves and deletes in order, leaving every list empty', async () => {
    // Prepare
    const { personalize: cp, runtime } = server;

    // Act: build the chain
    const { datasetGroupArn } = await cp.send(new CreateDatasetGroupCommand({ name: 'shop' }));
    const group = await waitFor(
      () => cp.send(new DescribeDatasetGroupCommand({ datasetGroupArn })),
      (r) => r.datasetGroup?.status === 'ACTIVE',
    );
    const { schemaArn } = await cp.send(
      new CreateSchemaCommand({
        name: 'shop-interactions',
        schema: readFileSync(join(DEFAULT_SCHEMA_DIR, 'interactions.json'), 'utf8'),
      }),
    );
    const { datasetArn } = await cp.send(
      new CreateDatasetCommand({
        name: 'shop-interactions',
        schemaArn,
        datasetGroupArn,
        datasetType: 'Interactions',
      }),
    );
    await waitFor(
      () => cp.send(new DescribeDatasetCommand({ datasetArn })),
      (r) => r.dataset?.status === 'ACTIVE',
    );
    const { datasetImportJobArn } = await cp.send(
      new CreateDatasetImportJobCommand({
        jobName: 'shop-import-1',
        datasetArn,
        dataSource: { dataLocation: 's3://demo-bucket/data/interactions.csv' },
        roleArn: 'arn:aws:iam::000000000000:role/personalize',
      }),
    );
    const imported = await waitFor(
      () => cp.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
      (r) => r.datasetImportJob?.status === 'ACTIVE' || r.datasetImportJob?.status === 'CREATE FAILED',
    );
    const { solutionArn } = await cp.send(
      new CreateSolutionCommand({
        name: 'shop-up',
        datasetGroupArn,
        recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization',
      }),
    );
    await waitFor(
      () => cp.send(new DescribeSolutionCommand({ solutionArn })),
      (r) => r.solution?.status === 'ACTIVE',
    );
    const { solutionVersionArn } = await cp.send(new CreateSolutionVersionCommand({ solutionArn }));
    const version = await waitFor(
      () => cp.send(new DescribeSolutionVersionCommand({ solutionVersionArn })),
      (r) => r.solutionVersion?.status === 'ACTIVE' || r.solutionVersion?.status === 'CREATE FAILED',
    );
    const { metrics } = await cp.send(new GetSolutionMetricsCommand({ solutionVersionArn }));
    const { campaignArn } = await cp.send(
      new CreateCampaignCommand({ name: 'shop-campaign', solutionVersionArn }),
    );
    const campaign = await waitFor(
      () => cp.send(new DescribeCampaignCommand({ campaignArn })),
      (r) => r.campaign?.status === 'ACTIVE' || r.campaign?.status === 'CREATE FAILED',
    );
    const userId = readFileSync(join(server.s3Dir, 'demo-bucket/data/interactions.csv'), 'utf8')
      .split('\n')[1]!
      .split(',')[0]!;
    const answer = await runtime.send(new GetRecommendationsCommand({ campaignArn, userId, numResults: 10 }));

    // Assess
    expect(group.datasetGroup?.datasetGroupArn).toBe(
      'arn:aws:personalize:us-east-1:000000000000:dataset-group/shop',
    );
    expect(datasetArn).toBe('arn:aws:personalize:us-east-1:000000000000:dataset/shop/INTERACTIONS');
    expect(imported.datasetImportJob?.failureReason).toBeUndefined();
    expect(imported.datasetImportJob?.status).toBe('ACTIVE');
    expect(version.solutionVersion?.failureReason).toBeUndefined();
    expect(version.solutionVersion?.status).toBe('ACTIVE');
    expect(solutionVersionArn).toMatch(/:solution\/shop-up\/[0-9a-f]{8}$/);
    expect(Object.keys(metrics ?? {}).sort()).toEqual(METRIC_KEYS);
    for (const value of Object.values(metrics ?? {})) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(metrics?.coverage).toBeGreaterThan(0);
    expect(campaign.campaign?.status).toBe('ACTIVE');
    expect(campaign.campaign?.creationDateTime).toBeInstanceOf(Date);
    expect(answer.itemList).toHaveLength(10);
    expect(answer.recommendationId).toMatch(/^.{1,40}$/);

    // Act: tear down in reverse order
    await cp.send(new DeleteCampaignCommand({ campaignArn }));
    await waitGone(() => cp.send(new DescribeCampaignCommand({ campaignArn })));
    await cp.send(new DeleteSolutionCommand({ solutionArn }));
    await waitGone(() => cp.send(new DescribeSolutionCommand({ solutionArn })));
    await cp.send(new DeleteDatasetCommand({ datasetArn }));
    await waitGone(() => cp.send(new DescribeDatasetCommand({ datasetArn })));
    await cp.send(new DeleteDatasetGroupCommand({ datasetGroupArn }));
    await waitGone(() => cp.send(new DescribeDatasetGroupCommand({ datasetGroupArn })));
    await cp.send(new DeleteSchemaCommand({ schemaArn }));

    // Assess
    expect((await cp.send(new ListCampaignsCommand({}))).campaigns).toEqual([]);
    expect((await cp.send(new ListSolutionsCommand({}))).solutions).toEqual([]);
    expect((await cp.send(new ListDatasetsCommand({}))).datasets).toEqual([]);
    expect((await cp.send(new ListDatasetGroupsCommand({}))).datasetGroups).toEqual([]);
    expect((await cp.send(new ListSchemasCommand({}))).schemas).toEqual([]);
    await expect(runtime.send(new GetRecommendationsCommand({ campaignArn, userId }))).rejects.toThrow(
      expect.objectContaining({ name: 'ResourceNotFoundException' }),
    );
  });
});

describe('Class: LocalPersonalize (status lifecycle)', () => {
  it('steps CREATE PENDING → CREATE IN_PROGRESS → ACTIVE, then DELETE PENDING → DELETE IN_PROGRESS → gone', async () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'lp-lifecycle-'));
    const seen: string[] = [];
    const plane = await openLocalPersonalize({
      stateDir: join(root, 'state'),
      s3Dir: join(root, 's3'),
      latencyMs: 5,
      onTransition: (record, status) => seen.push(`${record.kind}:${status}`),
    });
    try {
      // Act
      const { datasetGroupArn } = await plane.call('CreateDatasetGroup', { name: 'steps' });
      const describeGroup = () => plane.call('DescribeDatasetGroup', { datasetGroupArn });
      await waitFor(describeGroup, (r) => (r.datasetGroup as { status: string }).status === 'ACTIVE');
      await plane.call('DeleteDatasetGroup', { datasetGroupArn });
      await waitGone(describeGroup);

      // Assess
      expect(seen).toEqual([
        'datasetGroup:CREATE PENDING',
        'datasetGroup:CREATE IN_PROGRESS',
        'datasetGroup:ACTIVE',
        'datasetGroup:DELETE PENDING',
        'datasetGroup:DELETE IN_PROGRESS',
        'datasetGroup:DELETED',
      ]);
    } finally {
      await plane.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
