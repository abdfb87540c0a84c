import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateCampaignCommand,
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateEventTrackerCommand,
  CreateFilterCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeCampaignCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  DescribeEventTrackerCommand,
  DescribeFilterCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { DEFAULT_SCHEMA_DIR } from '../../src/schemas/index.ts';
import type { ContractFilter } from '../contract/fixture.ts';
import { waitFor } from '../local-personalize/server.ts';

const ROLE = 'arn:aws:iam::000000000000:role/personalize';
const TYPES = { interactions: 'Interactions', items: 'Items', users: 'Users' } as const;
const RECIPES = {
  userPersonalization: 'arn:aws:personalize:::recipe/aws-user-personalization',
  similarItems: 'arn:aws:personalize:::recipe/aws-sims',
  personalizedRanking: 'arn:aws:personalize:::recipe/aws-personalized-ranking',
} as const;
type Kind = keyof typeof RECIPES;

/** Polls a Describe until its status settles; anything but ACTIVE is an error naming the failure reason. */
async function settled(
  what: string,
  read: () => Promise<{ status?: string; failureReason?: string } | undefined>,
): Promise<void> {
  const state = await waitFor(read, (s) => ['ACTIVE', 'CREATE FAILED'].includes(s?.status ?? ''));
  if (state?.status !== 'ACTIVE') {
    throw new Error(`${what} ended ${state?.status ?? 'unknown'}: ${state?.failureReason ?? ''}`);
  }
}

/** What `provisionGroup` created, by the names PersonalizeRecommender's options use. */
export interface ProvisionedGroup {
  readonly datasetGroupArn: string;
  readonly campaigns: Record<Kind, string>;
  readonly trackingId: string;
  readonly datasets: { readonly interactions: string; readonly items: string; readonly users: string };
  readonly filters: Record<string, string>;
}

/**
 * The full chain a deployment has, made through the control plane only: dataset group, the three schemas of
 * `schemas/`, datasets imported from `s3://<bucket>/<name>/*.csv` (copied into the S3 folder), one solution,
 * version and campaign per recipe type, an event tracker and the given filters.
 */
export async function provisionGroup(
  cp: PersonalizeClient,
  options: {
    readonly name: string;
    readonly s3Dir: string;
    readonly files: { readonly interactions: string; readonly items: string; readonly users: string };
    readonly filters: readonly ContractFilter[];
  },
): Promise<ProvisionedGroup> {
  const { name, s3Dir } = options;
  const { datasetGroupArn } = await cp.send(new CreateDatasetGroupCommand({ name }));
  const group = datasetGroupArn!;
  await settled(
    'dataset group',
    async () => (await cp.send(new DescribeDatasetGroupCommand({ datasetGroupArn: group }))).datasetGroup,
  );
  mkdirSync(join(s3Dir, 'bucket', name), { recursive: true });
  const datasets: Record<string, string> = {};
  for (const [type, datasetType] of Object.entries(TYPES) as [keyof typeof TYPES, string][]) {
    copyFileSync(options.files[type], join(s3Dir, 'bucket', name, `${type}.csv`));
    const { schemaArn } = await cp.send(
      new CreateSchemaCommand({
        name: `${name}-${type}`,
        schema: readFileSync(join(DEFAULT_SCHEMA_DIR, `${type}.json`), 'utf8'),
      }),
    );
    const { datasetArn } = await cp.send(
      new CreateDatasetCommand({ name: `${name}-${type}`, schemaArn, datasetGroupArn: group, datasetType }),
    );
    await settled(
      `dataset ${type}`,
      async () => (await cp.send(new DescribeDatasetCommand({ datasetArn }))).dataset,
    );
    const { datasetImportJobArn } = await cp.send(
      new CreateDatasetImportJobCommand({
        jobName: `${name}-${type}-import`,
        datasetArn,
        dataSource: { dataLocation: `s3://bucket/${name}/${type}.csv` },
        roleArn: ROLE,
      }),
    );
    await settled(
      `import ${type}`,
      async () =>
        (await cp.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob,
    );
    datasets[type] = datasetArn!;
  }
  const filters: Record<string, string> = {};
  for (const filter of options.filters) {
    const { filterArn } = await cp.send(
      new CreateFilterCommand({
        name: filter.name,
        datasetGroupArn: group,
        filterExpression: filter.expression,
      }),
    );
    await settled(
      `filter ${filter.name}`,
      async () => (await cp.send(new DescribeFilterCommand({ filterArn }))).filter,
    );
    filters[filter.name] = filterArn!;
  }
  const campaigns = {} as Record<Kind, string>;
  for (const [kind, recipeArn] of Object.entries(RECIPES) as [Kind, string][]) {
    const { solutionArn } = await cp.send(
      new CreateSolutionCommand({ name: `${name}-${kind}`, datasetGroupArn: group, recipeArn }),
    );
    await settled(
      `solution ${kind}`,
      async () => (await cp.send(new DescribeSolutionCommand({ solutionArn }))).solution,
    );
    const { solutionVersionArn } = await cp.send(new CreateSolutionVersionCommand({ solutionArn }));
    await settled(
      `solution version ${kind}`,
      async () => (await cp.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion,
    );
    const { campaignArn } = await cp.send(
      new CreateCampaignCommand({ name: `${name}-${kind}`, solutionVersionArn }),
    );
    await settled(
      `campaign ${kind}`,
      async () => (await cp.send(new DescribeCampaignCommand({ campaignArn }))).campaign,
    );
    campaigns[kind] = campaignArn!;
  }
  const { eventTrackerArn, trackingId } = await cp.send(
    new CreateEventTrackerCommand({ name: `${name}-tracker`, datasetGroupArn: group }),
  );
  await settled(
    'event tracker',
    async () => (await cp.send(new DescribeEventTrackerCommand({ eventTrackerArn }))).eventTracker,
  );
  return {
    datasetGroupArn: group,
    campaigns,
    trackingId: trackingId!,
    datasets: datasets as ProvisionedGroup['datasets'],
    filters,
  };
}
