/**
 * The teardown custom resource's own handlers (`teardown-start`, `teardown-check`) against the local control
 * plane, followed by the deletes CloudFormation does for the resources it owns: every list ends empty.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DeleteDatasetCommand,
  DeleteDatasetGroupCommand,
  DeleteSchemaCommand,
  DeleteSolutionCommand,
  DescribeBatchInferenceJobCommand,
  DescribeBatchSegmentJobCommand,
  DescribeCampaignCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  ListBatchInferenceJobsCommand,
  ListBatchSegmentJobsCommand,
  ListCampaignsCommand,
  ListDatasetGroupsCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  ListEventTrackersCommand,
  ListFiltersCommand,
  ListSchemasCommand,
  ListSolutionsCommand,
  ListSolutionVersionsCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import type { CdkCustomResourceEvent, CdkCustomResourceIsCompleteEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContractFixture, createContractFixture } from '../contract/fixture.ts';
import { startTestServer, type TestServer, waitFor, waitGone } from '../local-personalize/server.ts';
import { type ProvisionedGroup, provisionGroup } from './provision.ts';

let server: TestServer;
let fixture: ContractFixture & { remove(): void };
let group: ProvisionedGroup;

const ROLE = 'arn:aws:iam::000000000000:role/personalize';

/** A finished batch inference job on the User-Personalization version and a segment job on an Item-Affinity one. */
async function batchJobs(cp: PersonalizeClient, s3Dir: string): Promise<void> {
  const firstRow = readFileSync(fixture.files.interactions, 'utf8').split('\n')[1]!.split(',');
  mkdirSync(join(s3Dir, 'bucket', 'batch'), { recursive: true });
  writeFileSync(join(s3Dir, 'bucket', 'batch', 'users.json'), `{"userId":"${firstRow[0]}"}\n`);
  writeFileSync(join(s3Dir, 'bucket', 'batch', 'items.json'), `{"itemId":"${firstRow[1]}"}\n`);
  const io = (file: string) => ({
    roleArn: ROLE,
    jobInput: { s3DataSource: { path: `s3://bucket/batch/${file}` } },
    jobOutput: { s3DataDestination: { path: 's3://bucket/batch-out/' } },
  });
  const { campaign } = await cp.send(
    new DescribeCampaignCommand({ campaignArn: group.campaigns.userPersonalization }),
  );
  const { batchInferenceJobArn } = await cp.send(
    new CreateBatchInferenceJobCommand({
      jobName: 'teardown-inference',
      solutionVersionArn: campaign!.solutionVersionArn,
      ...io('users.json'),
    }),
  );
  const { solutionArn } = await cp.send(
    new CreateSolutionCommand({
      name: 'teardown-item-affinity',
      datasetGroupArn: group.datasetGroupArn,
      recipeArn: 'arn:aws:personalize:::recipe/aws-item-affinity',
    }),
  );
  await waitFor(
    () => cp.send(new DescribeSolutionCommand({ solutionArn })),
    (r) => r.solution?.status === 'ACTIVE',
  );
  const { solutionVersionArn } = await cp.send(new CreateSolutionVersionCommand({ solutionArn }));
  await waitFor(
    () => cp.send(new DescribeSolutionVersionCommand({ solutionVersionArn })),
    (r) => r.solutionVersion?.status === 'ACTIVE',
  );
  const { batchSegmentJobArn } = await cp.send(
    new CreateBatchSegmentJobCommand({
      jobName: 'teardown-segment',
      solutionVersionArn,
      ...io('items.json'),
    }),
  );
  const inference = await waitFor(
    () => cp.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn })),
    (r) => r.batchInferenceJob?.status === 'ACTIVE',
  );
  const segment = await waitFor(
    () => cp.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn })),
    (r) => r.batchSegmentJob?.status === 'ACTIVE',
  );
  expect([inference.batchInferenceJob?.status, segment.batchSegmentJob?.status]).toEqual([
    'ACTIVE',
    'ACTIVE',
  ]);
}

beforeAll(async () => {
  server = await startTestServer();
  fixture = await createContractFixture();
  group = await provisionGroup(server.personalize, {
    name: 'teardown',
    s3Dir: server.s3Dir,
    files: fixture.files,
    filters: fixture.filters,
  });
  await batchJobs(server.personalize, server.s3Dir);
  // The handlers build their SDK client from the environment when their modules load.
  const endpoint = await server.personalize.config.endpoint!();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_PERSONALIZE: `http://127.0.0.1:${endpoint.port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
});

afterAll(async () => {
  await server?.stop();
  fixture?.remove();
});

describe('Teardown custom resource against the local control plane', () => {
  it('deletes campaigns, trackers and filters, after which CloudFormation’s deletes succeed in order', async () => {
    const cp = server.personalize;
    const { handler: onEvent } = await import('../../lambdas/workflow/teardown-start.ts');
    const { handler: isComplete } = await import('../../lambdas/workflow/teardown-check.ts');
    const properties = {
      ServiceToken: 'arn:aws:lambda:us-east-1:000000000000:function:teardown',
      DatasetGroupArn: group.datasetGroupArn,
      CampaignArns: Object.values(group.campaigns),
    };
    const event = {
      RequestType: 'Delete',
      ResourceProperties: properties,
      PhysicalResourceId: `teardown:${group.datasetGroupArn}`,
    } as unknown as CdkCustomResourceEvent;
    // Without the teardown the dataset group cannot go: its campaigns, tracker and filters hold it.
    await expect(
      cp.send(new DeleteDatasetGroupCommand({ datasetGroupArn: group.datasetGroupArn })),
    ).rejects.toThrow(expect.objectContaining({ name: 'ResourceInUseException' }));

    const started = await onEvent(event);
    const done = await waitFor(
      () => isComplete(event as unknown as CdkCustomResourceIsCompleteEvent),
      (r) => r.IsComplete === true,
    );

    expect(started.PhysicalResourceId).toBe(`teardown:${group.datasetGroupArn}`);
    expect(done.IsComplete).toBe(true);
    const scope = { datasetGroupArn: group.datasetGroupArn };
    expect((await cp.send(new ListCampaignsCommand({}))).campaigns).toEqual([]);
    expect((await cp.send(new ListEventTrackersCommand(scope))).eventTrackers).toEqual([]);
    expect((await cp.send(new ListFiltersCommand(scope))).Filters).toEqual([]);

    // What CloudFormation deletes next, in its reverse dependency order: solutions (their versions and batch
    // jobs with them), datasets, group, schemas.
    for (const { solutionArn } of (await cp.send(new ListSolutionsCommand({}))).solutions ?? []) {
      await cp.send(new DeleteSolutionCommand({ solutionArn }));
      await waitGone(() => cp.send(new DescribeSolutionCommand({ solutionArn })));
    }
    for (const datasetArn of Object.values(group.datasets)) {
      await cp.send(new DeleteDatasetCommand({ datasetArn }));
      await waitGone(() => cp.send(new DescribeDatasetCommand({ datasetArn })));
    }
    await cp.send(new DeleteDatasetGroupCommand(scope));
    await waitGone(() => cp.send(new DescribeDatasetGroupCommand(scope)));
    for (const { schemaArn } of (await cp.send(new ListSchemasCommand({}))).schemas ?? []) {
      await cp.send(new DeleteSchemaCommand({ schemaArn }));
    }

    expect((await cp.send(new ListSolutionsCommand({}))).solutions).toEqual([]);
    expect((await cp.send(new ListSolutionVersionsCommand({}))).solutionVersions).toEqual([]);
    expect((await cp.send(new ListDatasetsCommand({}))).datasets).toEqual([]);
    expect((await cp.send(new ListDatasetGroupsCommand({}))).datasetGroups).toEqual([]);
    expect((await cp.send(new ListDatasetImportJobsCommand({}))).datasetImportJobs).toEqual([]);
    expect((await cp.send(new ListSchemasCommand({}))).schemas).toEqual([]);
    expect((await cp.send(new ListFiltersCommand({}))).Filters).toEqual([]);
    expect((await cp.send(new ListEventTrackersCommand({}))).eventTrackers).toEqual([]);
    expect((await cp.send(new ListBatchInferenceJobsCommand({}))).batchInferenceJobs).toEqual([]);
    expect((await cp.send(new ListBatchSegmentJobsCommand({}))).batchSegmentJobs).toEqual([]);
  }, 120_000);
});
