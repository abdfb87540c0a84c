import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  CreateSolutionVersionCommand,
  DescribeBatchSegmentJobCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  DescribeFilterCommand,
  DescribeRecipeCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  ListRecipesCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';
import { DEFAULT_SCHEMA_DIR } from '../../src/schemas/index.ts';
import { startTestServer, type TestServer, waitFor } from './server.ts';

const ROLE = 'arn:aws:iam::000000000000:role/personalize';
const ITEM_AFFINITY = 'arn:aws:personalize:::recipe/aws-item-affinity';
const ATTRIBUTE_AFFINITY = 'arn:aws:personalize:::recipe/aws-item-attribute-affinity';
const UP = 'arn:aws:personalize:::recipe/aws-user-personalization';
const rejection = (name: string, message: RegExp) =>
  expect.objectContaining({ name, message: expect.stringMatching(message) });

const settledStatus = (status: string | undefined) => ['ACTIVE', 'CREATE FAILED'].includes(status ?? '');

/** An ACTIVE dataset group with the given datasets imported from `s3://bucket/data/<type>.csv`. */
async function importedGroup(
  cp: PersonalizeClient,
  name: string,
  types: readonly ('interactions' | 'items')[],
) {
  const { datasetGroupArn } = await cp.send(new CreateDatasetGroupCommand({ name }));
  await waitFor(
    () => cp.send(new DescribeDatasetGroupCommand({ datasetGroupArn })),
    (r) => r.datasetGroup?.status === 'ACTIVE',
  );
  for (const type of types) {
    const { schemaArn } = await cp.send(
      new CreateSchemaCommand({
        name: `${name}-${type}`,
        schema: readFileSync(join(DEFAULT_SCHEMA_DIR, `${type}.json`), 'utf8'),
      }),
    );
    const { datasetArn } = await cp.send(
      new CreateDatasetCommand({
        name: `${name}-${type}`,
        schemaArn,
        datasetGroupArn,
        datasetType: type === 'items' ? 'Items' : 'Interactions',
      }),
    );
    await waitFor(
      () => cp.send(new DescribeDatasetCommand({ datasetArn })),
      (r) => r.dataset?.status === 'ACTIVE',
    );
    const { datasetImportJobArn } = await cp.send(
      new CreateDatasetImportJobCommand({
        jobName: `${name}-${type}`,
        datasetArn,
        dataSource: { dataLocation: `s3://bucket/data/${type}.csv` },
        roleArn: ROLE,
      }),
    );
    const job = await waitFor(
      () => cp.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
      (r) => settledStatus(r.datasetImportJob?.status),
    );
    expect(job.datasetImportJob?.status).toBe('ACTIVE');
  }
  return datasetGroupArn!;
}

/** A solution of `recipeArn` and its first version, once settled. */
async function trainedVersion(
  cp: PersonalizeClient,
  name: string,
  datasetGroupArn: string,
  recipeArn: string,
) {
  const { solutionArn } = await cp.send(new CreateSolutionCommand({ name, datasetGroupArn, recipeArn }));
  await waitFor(
    () => cp.send(new DescribeSolutionCommand({ solutionArn })),
    (r) => r.solution?.status === 'ACTIVE',
  );
  const { solutionVersionArn } = await cp.send(new CreateSolutionVersionCommand({ solutionArn }));
  const { solutionVersion } = await waitFor(
    () => cp.send(new DescribeSolutionVersionCommand({ solutionVersionArn })),
    (r) => settledStatus(r.solutionVersion?.status),
  );
  return solutionVersion!;
}

describe('Local Personalize: USER_SEGMENTATION recipes and batch segment jobs', () => {
  let server: TestServer;
  let group: string;
  let itemAffinity: string;
  let attributeAffinity: string;
  /** Per user, the item ids of their interactions; per item, its CATEGORY. */
  const histories = new Map<string, string[]>();
  const categoryOf = new Map<string, string>();

  const runSegmentJob = async (
    jobName: string,
    solutionVersionArn: string,
    lines: string,
    numResults = 5,
  ) => {
    mkdirSync(join(server.s3Dir, 'bucket', 'segments'), { recursive: true });
    writeFileSync(join(server.s3Dir, 'bucket', 'segments', `${jobName}.json`), lines);
    const { batchSegmentJobArn } = await server.personalize.send(
      new CreateBatchSegmentJobCommand({
        jobName,
        solutionVersionArn,
        numResults,
        roleArn: ROLE,
        jobInput: { s3DataSource: { path: `s3://bucket/segments/${jobName}.json` } },
        jobOutput: { s3DataDestination: { path: 's3://bucket/segments-out/' } },
      }),
    );
    const { batchSegmentJob } = await waitFor(
      () => server.personalize.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn })),
      (r) => settledStatus(r.batchSegmentJob?.status),
    );
    return batchSegmentJob!;
  };
  const outputOf = (jobName: string) =>
    readFileSync(join(server.s3Dir, 'bucket', 'segments-out', `${jobName}.json.out`), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));

  beforeAll(async () => {
    server = await startTestServer();
    const data = join(server.s3Dir, 'bucket', 'data');
    await generateDataset({ outDir: data, interactions: 4000, users: 150, items: 80, seed: 21 });
    for (const row of readFileSync(join(data, 'interactions.csv'), 'utf8').trim().split('\n').slice(1)) {
      const [user, item] = row.split(',');
      histories.set(user!, [...(histories.get(user!) ?? []), item!]);
    }
    for (const row of readFileSync(join(data, 'items.csv'), 'utf8').trim().split('\n').slice(1)) {
      const [item, category] = row.split(',');
      categoryOf.set(item!, category!);
    }
    group = await importedGroup(server.personalize, 'segments', ['interactions', 'items']);
    const first = await trainedVersion(server.personalize, 'segments-items', group, ITEM_AFFINITY);
    expect(first.failureReason).toBeUndefined();
    itemAffinity = first.solutionVersionArn!;
    const second = await trainedVersion(server.personalize, 'segments-attributes', group, ATTRIBUTE_AFFINITY);
    expect(second.failureReason).toBeUndefined();
    attributeAffinity = second.solutionVersionArn!;
  });
  afterAll(() => server.stop());

  it('lists and describes both USER_SEGMENTATION recipes', async () => {
    const { recipes } = await server.personalize.send(new ListRecipesCommand({}));
    expect(recipes?.map((r) => r.recipeArn)).toEqual(
      expect.arrayContaining([ITEM_AFFINITY, ATTRIBUTE_AFFINITY]),
    );
    for (const recipeArn of [ITEM_AFFINITY, ATTRIBUTE_AFFINITY]) {
      const { recipe } = await server.personalize.send(new DescribeRecipeCommand({ recipeArn }));
      expect(recipe?.recipeType).toBe('USER_SEGMENTATION');
    }
  });

  it('reports hit and recall at the top 1% of users as the version metrics', async () => {
    const { metrics } = await server.personalize.send(
      new GetSolutionMetricsCommand({ solutionVersionArn: itemAffinity }),
    );
    expect(Object.keys(metrics ?? {}).sort()).toEqual(['hits_at_1_percent', 'recall_at_1_percent']);
    for (const value of Object.values(metrics!)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    // The top 1% is two users of 150: hits must beat what two random users find.
    expect(metrics!.hits_at_1_percent).toBeGreaterThan(0);
  });

  it('writes the users most likely to interact with each item, with an error per unusable line', async () => {
    const known = [...categoryOf.keys()].slice(0, 2);
    const job = await runSegmentJob(
      'by-item',
      itemAffinity,
      `{"itemId":"${known[0]}"}\n{"itemId":"${known[1]}"}\n{"itemId":"no-such-item"}\n{"userId":"u1"}\nnot json\n`,
    );
    expect(job.status).toBe('ACTIVE');
    expect(job.numResults).toBe(5);
    const lines = outputOf('by-item');
    expect(lines).toHaveLength(5);
    for (const [i, itemId] of known.entries()) {
      expect(lines[i].input).toEqual({ itemId });
      expect(lines[i].error).toBeNull();
      const users: string[] = lines[i].output.recommendedUsers;
      expect(users).toHaveLength(5);
      expect(new Set(users).size).toBe(5);
      for (const user of users) expect(histories.has(user)).toBe(true);
    }
    expect(lines[2]).toEqual({
      input: { itemId: 'no-such-item' },
      output: null,
      error: 'itemId no-such-item is not in the training data',
    });
    expect(lines[3]).toEqual({
      input: { userId: 'u1' },
      output: null,
      error: 'itemId must be a non-empty string',
    });
    expect(lines[4]).toEqual({ input: 'not json', output: null, error: 'the line is not JSON' });
  });

  it('finds users with more affinity to a category than the average user has', async () => {
    const category = 'books';
    const query = `ITEMS.category = \\"${category}\\"`;
    const job = await runSegmentJob(
      'by-attributes',
      attributeAffinity,
      [
        `{"itemAttributes":"${query}"}`,
        `{"itemAttributes":"ITEMS.CATEGORY = \\"books\\" AND ITEMS.CATEGORY = \\"no-such\\""}`,
        `{"itemAttributes":"ITEMS.COLOUR = \\"red\\""}`,
        `{"itemAttributes":"ITEMS.DESCRIPTION = \\"charger\\""}`,
        `{"itemAttributes":"ITEMS.CATEGORY = \\"books\\" OR ITEMS.CATEGORY = \\"home\\""}`,
      ].join('\n'),
      10,
    );
    expect(job.status).toBe('ACTIVE');
    const [found, none, unknown, textual, or] = outputOf('by-attributes');
    expect(found.itemAttributes).toBe(`ITEMS.category = "${category}"`);
    expect(found.error).toBeNull();
    const users: string[] = found.output.recommendedUsers;
    expect(users).toHaveLength(10);
    const share = (user: string) => {
      const items = histories.get(user)!;
      return items.filter((item) => categoryOf.get(item) === category).length / items.length;
    };
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(users.map(share))).toBeGreaterThan(mean([...histories.keys()].map(share)));
    expect(none).toMatchObject({ output: null, error: 'no item has these attributes' });
    expect(unknown).toMatchObject({ output: null, error: 'COLOUR is not a column of the Items dataset' });
    expect(textual).toMatchObject({
      output: null,
      error: expect.stringMatching(/DESCRIPTION is a textual column/),
    });
    expect(or).toMatchObject({ output: null, error: expect.stringMatching(/only AND joins conditions/) });
  });

  it('fails a job whose input has more queries than Personalize takes per file', async () => {
    const lines = Array.from({ length: 11 }, () => '{"itemAttributes":"ITEMS.CATEGORY = \\"books\\""}');
    const job = await runSegmentJob('too-many', attributeAffinity, lines.join('\n'));
    expect(job.status).toBe('CREATE FAILED');
    expect(job.failureReason).toMatch(/11 queries; aws-item-attribute-affinity takes at most 10/);
  });

  it('fails Item-Attribute-Affinity training without an Items dataset to match', async () => {
    const bare = await importedGroup(server.personalize, 'segments-bare', ['interactions']);
    const version = await trainedVersion(server.personalize, 'segments-bare', bare, ATTRIBUTE_AFFINITY);
    expect(version.status).toBe('CREATE FAILED');
    expect(version.failureReason).toMatch(/Items dataset with at least one non-textual metadata column/);
  });

  it('keeps segmentation versions to segment jobs and segment jobs to segmentation versions (InvalidInputException)', async () => {
    const upVersion = await trainedVersion(server.personalize, 'segments-up', group, UP);
    const io = {
      roleArn: ROLE,
      jobInput: { s3DataSource: { path: 's3://bucket/segments/by-item.json' } },
      jobOutput: { s3DataDestination: { path: 's3://bucket/elsewhere/' } },
    };
    await expect(
      server.personalize.send(
        new CreateBatchSegmentJobCommand({
          jobName: 'wrong-recipe',
          solutionVersionArn: upVersion.solutionVersionArn,
          ...io,
        }),
      ),
    ).rejects.toThrow(
      rejection('InvalidInputException', /solutionVersionArn: .*need a USER_SEGMENTATION recipe/),
    );
    await expect(
      server.personalize.send(
        new CreateBatchInferenceJobCommand({
          jobName: 'wrong-kind',
          solutionVersionArn: itemAffinity,
          ...io,
        }),
      ),
    ).rejects.toThrow(rejection('InvalidInputException', /solutionVersionArn: .*CreateBatchSegmentJob/));
    await expect(
      server.personalize.send(
        new CreateCampaignCommand({ name: 'segments', solutionVersionArn: itemAffinity }),
      ),
    ).rejects.toThrow(rejection('InvalidInputException', /solutionVersionArn: .*has no campaigns/));
    const { filterArn } = await server.personalize.send(
      new CreateFilterCommand({
        name: 'segments-unseen',
        datasetGroupArn: group,
        filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")',
      }),
    );
    await waitFor(
      () => server.personalize.send(new DescribeFilterCommand({ filterArn })),
      (r) => r.filter?.status === 'ACTIVE',
    );
    await expect(
      server.personalize.send(
        new CreateBatchSegmentJobCommand({
          jobName: 'filtered',
          solutionVersionArn: itemAffinity,
          filterArn,
          ...io,
        }),
      ),
    ).rejects.toThrow(rejection('InvalidInputException', /filterArn: .*UserID filters/));
    await expect(
      server.personalize.send(
        new CreateBatchSegmentJobCommand({
          jobName: 'too-large',
          solutionVersionArn: itemAffinity,
          numResults: 5_000_001,
          ...io,
        }),
      ),
    ).rejects.toThrow(rejection('InvalidInputException', /numResults/));
  });
});
