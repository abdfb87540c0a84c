import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBatchInferenceJobCommand,
  CreateCampaignCommand,
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateEventTrackerCommand,
  CreateFilterCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeBatchInferenceJobCommand,
  DescribeCampaignCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  DescribeEventTrackerCommand,
  DescribeFilterCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  ListSchemasCommand,
  ListTagsForResourceCommand,
  type PersonalizeClient,
  StopSolutionVersionCreationCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateCampaignCommand,
} from '@aws-sdk/client-personalize';
import { PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { GetRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';
import { openLocalPersonalize } from '../../src/local-personalize/index.ts';
import { controlPlaneTargets } from '../../src/local-personalize/wire-targets.ts';
import { DEFAULT_SCHEMA_DIR } from '../../src/schemas/index.ts';
import { startTestServer, type TestServer, waitFor } from './server.ts';

const ROLE = 'arn:aws:iam::000000000000:role/personalize';
const UP = 'arn:aws:personalize:::recipe/aws-user-personalization';

async function active<T>(read: () => Promise<T>, status: (value: T) => string | undefined): Promise<T> {
  const value = await waitFor(read, (v) => ['ACTIVE', 'CREATE FAILED'].includes(status(v) ?? ''));
  expect(status(value)).toBe('ACTIVE');
  return value;
}

/** A dataset group with imported interactions and an ACTIVE User-Personalization solution. */
async function trainedGroup(cp: PersonalizeClient, name: string, dataLocation: string) {
  const { datasetGroupArn } = await cp.send(new CreateDatasetGroupCommand({ name }));
  await active(
    () => cp.send(new DescribeDatasetGroupCommand({ datasetGroupArn })),
    (r) => r.datasetGroup?.status,
  );
  const { schemaArn } = await cp.send(
    new CreateSchemaCommand({
      name: `${name}-schema`,
      schema: readFileSync(join(DEFAULT_SCHEMA_DIR, 'interactions.json'), 'utf8'),
    }),
  );
  const { datasetArn } = await cp.send(
    new CreateDatasetCommand({ name: `${name}-ds`, schemaArn, datasetGroupArn, datasetType: 'Interactions' }),
  );
  await active(
    () => cp.send(new DescribeDatasetCommand({ datasetArn })),
    (r) => r.dataset?.status,
  );
  const { datasetImportJobArn } = await cp.send(
    new CreateDatasetImportJobCommand({
      jobName: `${name}-import`,
      datasetArn,
      dataSource: { dataLocation },
      roleArn: ROLE,
    }),
  );
  await active(
    () => cp.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
    (r) => r.datasetImportJob?.status,
  );
  const { solutionArn } = await cp.send(
    new CreateSolutionCommand({ name: `${name}-up`, datasetGroupArn, recipeArn: UP }),
  );
  await active(
    () => cp.send(new DescribeSolutionCommand({ solutionArn })),
    (r) => r.solution?.status,
  );
  return {
    datasetGroupArn: datasetGroupArn!,
    datasetArn: datasetArn!,
    solutionArn: solutionArn!,
    schemaArn: schemaArn!,
  };
}

async function newVersion(cp: PersonalizeClient, solutionArn: string) {
  const { solutionVersionArn } = await cp.send(new CreateSolutionVersionCommand({ solutionArn }));
  return waitFor(
    () => cp.send(new DescribeSolutionVersionCommand({ solutionVersionArn })),
    (r) => ['ACTIVE', 'CREATE FAILED'].includes(r.solutionVersion?.status ?? ''),
  );
}

describe('Local Personalize: serving what the control plane trained', () => {
  let server: TestServer;
  let group: Awaited<ReturnType<typeof trainedGroup>>;
  let v1: string;
  let campaignArn: string;
  let userId: string;
  let history: Set<string>;

  beforeAll(async () => {
    server = await startTestServer();
    await generateDataset({ outDir: join(server.s3Dir, 'bucket', 'data'), interactions: 5000, seed: 11 });
    const rows = readFileSync(join(server.s3Dir, 'bucket/data/interactions.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    userId = rows[0]!.split(',')[0]!;
    history = new Set(rows.filter((r) => r.startsWith(`${userId},`)).map((r) => r.split(',')[1]!));
    group = await trainedGroup(server.personalize, 'serve', 's3://bucket/data/interactions.csv');
    const version = await newVersion(server.personalize, group.solutionArn);
    expect(version.solutionVersion?.status).toBe('ACTIVE');
    v1 = version.solutionVersion!.solutionVersionArn!;
    ({ campaignArn } = (await server.personalize.send(
      new CreateCampaignCommand({ name: 'serve-campaign', solutionVersionArn: v1 }),
    )) as { campaignArn: string });
    await active(
      () => server.personalize.send(new DescribeCampaignCommand({ campaignArn })),
      (r) => r.campaign?.status,
    );
  });
  afterAll(() => server.stop());

  it('routes PutEvents with a tracker trackingId into the dataset group, allowing one tracker per group', async () => {
    const { trackingId, eventTrackerArn } = await server.personalize.send(
      new CreateEventTrackerCommand({ name: 'serve-tracker', datasetGroupArn: group.datasetGroupArn }),
    );
    await active(
      () => server.personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn })),
      (r) => r.eventTracker?.status,
    );
    await expect(
      server.personalize.send(
        new CreateEventTrackerCommand({ name: 'serve-tracker-2', datasetGroupArn: group.datasetGroupArn }),
      ),
    ).rejects.toThrow(expect.objectContaining({ name: 'ResourceAlreadyExistsException' }));

    await server.events.send(
      new PutEventsCommand({
        trackingId,
        userId: 'streamed-user',
        sessionId: 's-1',
        eventList: [
          {
            eventType: 'click',
            itemId: 'streamed-item',
            sentAt: new Date(1_735_000_000_000),
            properties: '{"device":"tv"}',
          },
        ],
      }),
    );

    const dataset = server.plane.lookup('dataset', group.datasetArn);
    const stream = readFileSync(join(server.plane.store.dataDir(dataset.id), 'stream.csv'), 'utf8');
    expect(stream).toBe(
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE\nstreamed-user,streamed-item,1735000000,click,,tv\n',
    );
    await expect(
      server.events.send(
        new PutEventsCommand({
          trackingId: 'not-a-tracker',
          sessionId: 's-1',
          eventList: [{ eventType: 'click', itemId: 'x', sentAt: new Date() }],
        }),
      ),
    ).rejects.toThrow(expect.objectContaining({ name: 'InvalidInputException' }));
  });

  it('applies a filter created through the control plane to the campaign', async () => {
    const { filterArn } = await server.personalize.send(
      new CreateFilterCommand({
        name: 'serve-unseen',
        datasetGroupArn: group.datasetGroupArn,
        filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")',
      }),
    );
    await active(
      () => server.personalize.send(new DescribeFilterCommand({ filterArn })),
      (r) => r.filter?.status,
    );
    const answer = await server.runtime.send(
      new GetRecommendationsCommand({ campaignArn, userId, numResults: 25, filterArn }),
    );
    expect(answer.itemList).toHaveLength(25);
    expect(answer.itemList?.filter((i) => history.has(i.itemId!))).toEqual([]);
  });

  it("scores an unknown user's recommendations as Personalize does: in (0, 1], descending", async () => {
    const answer = await server.runtime.send(
      new GetRecommendationsCommand({ campaignArn, userId: 'never-seen', numResults: 10 }),
    );
    const scores = answer.itemList!.map((i) => i.score!);
    expect(scores).toHaveLength(10);
    for (const score of scores) {
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
  });

  it('writes <input>.out in Personalize batch format for each input line', async () => {
    mkdirSync(join(server.s3Dir, 'bucket', 'batch'), { recursive: true });
    writeFileSync(
      join(server.s3Dir, 'bucket/batch/users.json'),
      `{"userId":"${userId}"}\n{"userId":"nobody-knows"}\nnot json\n`,
    );
    const { batchInferenceJobArn } = await server.personalize.send(
      new CreateBatchInferenceJobCommand({
        jobName: 'serve-batch',
        solutionVersionArn: v1,
        numResults: 5,
        roleArn: ROLE,
        jobInput: { s3DataSource: { path: 's3://bucket/batch/users.json' } },
        jobOutput: { s3DataDestination: { path: 's3://bucket/batch-out/' } },
      }),
    );
    await active(
      () => server.personalize.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn })),
      (r) => r.batchInferenceJob?.status,
    );
    const lines = readFileSync(join(server.s3Dir, 'bucket/batch-out/users.json.out'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0].input).toEqual({ userId });
    expect(lines[0].output.recommendedItems).toHaveLength(5);
    expect(lines[0].output.scores).toHaveLength(5);
    expect(lines[0].error).toBeNull();
    expect(lines[1].output.recommendedItems).toHaveLength(5);
    expect(lines[2]).toEqual({ input: 'not json', output: null, error: 'the line is not JSON' });
  });

  it('switches a campaign to a new version only once its update is ACTIVE', async () => {
    const version = await newVersion(server.personalize, group.solutionArn);
    const v2 = version.solutionVersion!.solutionVersionArn!;
    server.plane.lifecycle.latencyMs = 60_000;
    try {
      await server.personalize.send(new UpdateCampaignCommand({ campaignArn, solutionVersionArn: v2 }));
      const pending = await server.personalize.send(new DescribeCampaignCommand({ campaignArn }));
      expect(pending.campaign?.solutionVersionArn).toBe(v1);
      expect(pending.campaign?.latestCampaignUpdate?.status).toBe('CREATE PENDING');
      expect(pending.campaign?.latestCampaignUpdate?.solutionVersionArn).toBe(v2);
      await expect(
        server.personalize.send(new UpdateCampaignCommand({ campaignArn, solutionVersionArn: v2 })),
      ).rejects.toThrow(expect.objectContaining({ name: 'ResourceInUseException' }));
      const answer = await server.runtime.send(new GetRecommendationsCommand({ campaignArn, userId }));
      expect(answer.itemList?.length).toBeGreaterThan(0);
    } finally {
      server.plane.lifecycle.latencyMs = 0;
    }
  });

  it('stops a solution version being created: CREATE STOPPING, then CREATE STOPPED', async () => {
    const { solutionVersionArn } = await server.personalize.send(
      new CreateSolutionVersionCommand({ solutionArn: group.solutionArn }),
    );
    await server.personalize.send(new StopSolutionVersionCreationCommand({ solutionVersionArn }));
    const stopping = await server.personalize.send(
      new DescribeSolutionVersionCommand({ solutionVersionArn }),
    );
    const stopped = await waitFor(
      () => server.personalize.send(new DescribeSolutionVersionCommand({ solutionVersionArn })),
      (r) => r.solutionVersion?.status !== 'CREATE STOPPING',
    );
    expect(['CREATE STOPPING', 'CREATE STOPPED']).toContain(stopping.solutionVersion?.status);
    expect(stopped.solutionVersion?.status).toBe('CREATE STOPPED');
    await expect(
      server.personalize.send(new StopSolutionVersionCreationCommand({ solutionVersionArn })),
    ).rejects.toThrow(expect.objectContaining({ name: 'ResourceInUseException' }));
    await expect(
      server.personalize.send(new GetSolutionMetricsCommand({ solutionVersionArn })),
    ).rejects.toThrow(expect.objectContaining({ name: 'ResourceInUseException' }));
  });

  it('pages List* with nextToken and maxResults, refusing a token of another listing', async () => {
    await server.personalize.send(
      new CreateSchemaCommand({
        name: 'second-schema',
        schema: readFileSync(join(DEFAULT_SCHEMA_DIR, 'users.json'), 'utf8'),
      }),
    );
    const first = await server.personalize.send(new ListSchemasCommand({ maxResults: 1 }));
    expect(first.schemas).toHaveLength(1);
    const second = await server.personalize.send(
      new ListSchemasCommand({ maxResults: 1, nextToken: first.nextToken }),
    );
    expect(second.schemas).toHaveLength(1);
    expect(second.nextToken).toBeUndefined();
    expect(second.schemas?.[0]?.name).not.toBe(first.schemas?.[0]?.name);
    await expect(
      server.personalize.send(
        new ListSchemasCommand({ nextToken: Buffer.from('0:campaign:').toString('base64url') }),
      ),
    ).rejects.toThrow(expect.objectContaining({ name: 'InvalidNextTokenException' }));
    await expect(server.personalize.send(new ListSchemasCommand({ maxResults: 101 }))).rejects.toThrow(
      expect.objectContaining({ name: 'InvalidInputException', message: 'maxResults: must be 1 to 100' }),
    );
  });

  it('tags, lists and untags a resource', async () => {
    const resourceArn = group.datasetGroupArn;
    await server.personalize.send(
      new TagResourceCommand({
        resourceArn,
        tags: [
          { tagKey: 'team', tagValue: 'recs' },
          { tagKey: 'env', tagValue: 'dev' },
        ],
      }),
    );
    await server.personalize.send(new UntagResourceCommand({ resourceArn, tagKeys: ['env'] }));
    const { tags } = await server.personalize.send(new ListTagsForResourceCommand({ resourceArn }));
    expect(tags).toEqual([{ tagKey: 'team', tagValue: 'recs' }]);
  });

  it('keeps resources, data and models across a restart of the state folder', async () => {
    await server.plane.store.flush();
    const reopened = await openLocalPersonalize({ stateDir: server.stateDir, s3Dir: server.s3Dir });
    try {
      const campaign = await reopened.call('DescribeCampaign', { campaignArn });
      expect((campaign.campaign as { status: string }).status).toBe('ACTIVE');
      const target = await controlPlaneTargets(reopened).campaign('serve-campaign');
      const answer = await target!.recommender.getRecommendations({ userId, numResults: 3 });
      expect(answer.items).toHaveLength(3);
      expect(existsSync(reopened.store.modelFile(reopened.lookup('solutionVersion', v1).id))).toBe(true);
    } finally {
      await reopened.close();
    }
  });
});

describe('Local Personalize: training minimums', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ trainInWorker: false });
  });
  afterAll(() => server.stop());

  it('fails a solution version with fewer than 25 users having 2 interactions, as Personalize words it', async () => {
    // 1000 users once each, then 24 of them a second time: one short of 25 users with 2 interactions.
    const rows = Array.from(
      { length: 1024 },
      (_, i) => `u${i % 1000},i${i % 40},${1_700_000_000 + i},click,,`,
    );
    mkdirSync(join(server.s3Dir, 'few', 'data'), { recursive: true });
    writeFileSync(
      join(server.s3Dir, 'few/data/interactions.csv'),
      `USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE\n${rows.join('\n')}\n`,
    );
    const group = await trainedGroup(server.personalize, 'few', 's3://few/data/interactions.csv');
    const version = await newVersion(server.personalize, group.solutionArn);
    expect(version.solutionVersion?.status).toBe('CREATE FAILED');
    expect(version.solutionVersion?.failureReason).toBe(
      'Create failed. Dataset has fewer than 25 users with at least 2 interactions each.',
    );
  });
});
