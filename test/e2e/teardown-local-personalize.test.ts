/**
 * The teardown custom resource's own handlers (`teardown-start`, `teardown-check`) against the local control
 * plane, followed by the deletes CloudFormation does for the resources it owns: every list ends empty.
 */
import {
  DeleteDatasetCommand,
  DeleteDatasetGroupCommand,
  DeleteSchemaCommand,
  DeleteSolutionCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeSolutionCommand,
  ListCampaignsCommand,
  ListDatasetGroupsCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  ListEventTrackersCommand,
  ListFiltersCommand,
  ListSchemasCommand,
  ListSolutionsCommand,
  ListSolutionVersionsCommand,
} from '@aws-sdk/client-personalize';
import type { CdkCustomResourceEvent, CdkCustomResourceIsCompleteEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContractFixture, createContractFixture } from '../contract/fixture.ts';
import { startTestServer, type TestServer, waitFor, waitGone } from '../local-personalize/server.ts';
import { type ProvisionedGroup, provisionGroup } from './provision.ts';

let server: TestServer;
let fixture: ContractFixture & { remove(): void };
let group: ProvisionedGroup;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await createContractFixture();
  group = await provisionGroup(server.personalize, {
    name: 'teardown',
    s3Dir: server.s3Dir,
    files: fixture.files,
    filters: fixture.filters,
  });
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

    // What CloudFormation deletes next, in its reverse dependency order: solutions, datasets, group, schemas.
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
  }, 120_000);
});
