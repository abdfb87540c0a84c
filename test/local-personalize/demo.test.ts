import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DeleteCampaignCommand,
  DescribeCampaignCommand,
  DescribeDatasetGroupCommand,
  ListCampaignsCommand,
  ListFiltersCommand,
  ListSolutionVersionsCommand,
} from '@aws-sdk/client-personalize';
import { PutEventsCommand, PutItemsCommand } from '@aws-sdk/client-personalize-events';
import {
  GetPersonalizedRankingCommand,
  GetRecommendationsCommand,
} from '@aws-sdk/client-personalize-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/datagen/index.ts';
import { LocalRecommender, loadDataset, trainHybrid } from '../../src/local/index.ts';
import {
  adoptDemoEngine,
  controlPlaneTargets,
  type LocalPersonalize,
  openLocalPersonalize,
} from '../../src/local-personalize/index.ts';
import { DEFAULT_WIRE_CONFIG, wireArns } from '../../src/personalize-wire/config.ts';
import { startTestServer, type TestServer, waitFor, waitGone } from './server.ts';

describe('Function: adoptDemoEngine', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const filters = [
      { name: 'demo-unseen', expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")' },
    ];
    server.engine.createFilter(filters[0]!.name, filters[0]!.expression);
    await adoptDemoEngine(server.plane, { engine: server.engine, names: DEFAULT_WIRE_CONFIG, filters });
    // A second start adopts again over the persisted records.
    await adoptDemoEngine(server.plane, { engine: server.engine, names: DEFAULT_WIRE_CONFIG, filters });
  });
  afterAll(() => server.stop());

  it('lists the demo campaigns, versions and filters as ACTIVE control-plane resources', async () => {
    const arns = wireArns(DEFAULT_WIRE_CONFIG);
    const { campaigns } = await server.personalize.send(new ListCampaignsCommand({}));
    expect(campaigns?.map((c) => c.campaignArn).sort()).toEqual(
      [arns.personalizedRankingCampaign, arns.similarItemsCampaign, arns.userPersonalizationCampaign].sort(),
    );
    const { campaign } = await server.personalize.send(
      new DescribeCampaignCommand({ campaignArn: arns.userPersonalizationCampaign }),
    );
    expect(campaign?.status).toBe('ACTIVE');
    const { solutionVersions } = await server.personalize.send(
      new ListSolutionVersionsCommand({
        solutionArn: campaign!.solutionVersionArn!.replace(/\/[0-9a-f]{8}$/, ''),
      }),
    );
    expect(solutionVersions?.map((v) => v.status)).toEqual(['ACTIVE']);
    const { Filters } = await server.personalize.send(new ListFiltersCommand({}));
    expect(Filters?.map((f) => f.name)).toEqual(['demo-unseen']);
  });

  it('answers the demo ARNs through the control plane, and takes events with the demo trackingId', async () => {
    const arns = wireArns(DEFAULT_WIRE_CONFIG);
    const userId = server.engine.hybridModel.users.ids[0]!;
    const items = server.engine.hybridModel.items.ids.slice(0, 3);
    await server.events.send(
      new PutEventsCommand({
        trackingId: DEFAULT_WIRE_CONFIG.trackingId,
        userId,
        sessionId: 'demo-session',
        eventList: [{ eventType: 'click', itemId: items[0]!, sentAt: new Date() }],
      }),
    );
    const recommended = await server.runtime.send(
      new GetRecommendationsCommand({
        campaignArn: arns.userPersonalizationCampaign,
        userId,
        numResults: 5,
        filterArn: arns.filter('demo-unseen'),
      }),
    );
    expect(recommended.itemList).toHaveLength(5);
    expect(recommended.itemList?.map((i) => i.itemId)).not.toContain(items[0]);
    const ranked = await server.runtime.send(
      new GetPersonalizedRankingCommand({
        campaignArn: arns.personalizedRankingCampaign,
        userId,
        inputList: items,
      }),
    );
    expect(ranked.personalizedRanking?.map((i) => i.itemId).sort()).toEqual([...items].sort());
  });

  it('takes PutItems on the demo Items dataset ARN, keeping the row for the next training', async () => {
    const arns = wireArns(DEFAULT_WIRE_CONFIG);
    await server.events.send(
      new PutItemsCommand({
        datasetArn: arns.itemsDataset,
        // The test's demo engine has no item columns: an item without properties.
        items: [{ itemId: 'new-item' }],
      }),
    );
    const dataset = server.plane.lookup('dataset', arns.itemsDataset);
    const stream = readFileSync(join(server.plane.store.dataDir(dataset.id), 'stream.csv'), 'utf8');
    expect(stream.split('\n')[1]).toBe('new-item,,,,,,');
  });

  it('refuses to train a new version in the demo group, naming it (InvalidInputException)', async () => {
    const groupArn = server.plane.arn(`dataset-group/${DEFAULT_WIRE_CONFIG.datasetGroupName}`);
    const { solutionArn } = await server.personalize.send(
      new CreateSolutionCommand({
        name: 'mine-in-demo',
        datasetGroupArn: groupArn,
        recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization',
      }),
    );
    await waitFor(
      async () => server.plane.lookup('solution', solutionArn!).status,
      (status) => status === 'ACTIVE',
    );
    const demoSolution = server.plane.arn(`solution/${DEFAULT_WIRE_CONFIG.campaigns.userPersonalization}`);
    for (const arn of [demoSolution, solutionArn!]) {
      await expect(
        server.personalize.send(new CreateSolutionVersionCommand({ solutionArn: arn })),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'InvalidInputException',
          message: expect.stringMatching(
            new RegExp(
              `^solutionArn: dataset group ${groupArn} serves .* cannot be retrained: create your own`,
            ),
          ),
        }),
      );
    }
    expect(server.plane.store.list('solutionVersion', solutionArn)).toEqual([]);
    // The mark is the local server's own: Describe shows the group as Personalize would.
    const { datasetGroup } = await server.personalize.send(
      new DescribeDatasetGroupCommand({ datasetGroupArn: groupArn }),
    );
    expect(Object.keys(datasetGroup!).sort()).toEqual(
      ['creationDateTime', 'datasetGroupArn', 'lastUpdatedDateTime', 'name', 'status'].sort(),
    );
  });

  it('stops answering a demo campaign once it is deleted', async () => {
    const campaignArn = wireArns(DEFAULT_WIRE_CONFIG).similarItemsCampaign;
    await server.personalize.send(new DeleteCampaignCommand({ campaignArn }));
    await waitGone(() => server.personalize.send(new DescribeCampaignCommand({ campaignArn })));
    await expect(
      server.runtime.send(
        new GetRecommendationsCommand({ campaignArn, itemId: server.engine.hybridModel.items.ids[0]! }),
      ),
    ).rejects.toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
  });
});

describe('Function: adoptDemoEngine across restarts with the same --state', () => {
  let root: string;
  const filters = [
    { name: 'demo-unseen', expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")' },
  ];
  const arns = wireArns(DEFAULT_WIRE_CONFIG);

  /** What `npm start` does at each start: open the state folder, train (or load) the demo engine, adopt it. */
  async function start(): Promise<{ plane: LocalPersonalize; engine: LocalRecommender }> {
    const plane = await openLocalPersonalize({
      stateDir: join(root, 'state'),
      s3Dir: join(root, 's3'),
      trainInWorker: false,
    });
    const data = await loadDataset({ interactions: join(root, 'data', 'interactions.csv') });
    const engine = LocalRecommender.fromModel(trainHybrid(data, { tune: false }), { filters });
    await adoptDemoEngine(plane, { engine, names: DEFAULT_WIRE_CONFIG, filters });
    return { plane, engine };
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'demo-restart-'));
    await generateDataset({ outDir: join(root, 'data'), interactions: 2000, seed: 9 });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('neither duplicates nor loses the demo resources, what was added to them, or their streamed rows', async () => {
    const first = await start();
    await first.plane.call('CreateFilter', {
      name: 'mine',
      datasetGroupArn: first.plane.arn(`dataset-group/${DEFAULT_WIRE_CONFIG.datasetGroupName}`),
      filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
    });
    await waitFor(
      async () => first.plane.lookup('filter', arns.filter('mine')).status,
      (status) => status === 'ACTIVE',
    );
    const items = await controlPlaneTargets(first.plane).dataset(
      `${DEFAULT_WIRE_CONFIG.datasetGroupName}/ITEMS`,
    );
    await items!.putItems({ items: [{ itemId: 'streamed-before-restart' }] });
    const before = inventory(first.plane);
    await first.plane.close();

    const second = await start();
    try {
      expect(inventory(second.plane)).toEqual(before);
      expect(before.campaign).toHaveLength(3);
      expect(before.solutionVersion).toHaveLength(3);
      expect(before.eventTracker).toHaveLength(1);
      expect(before.filter?.map((f) => f.split(' ')[0])).toEqual([
        arns.filter('demo-unseen'),
        arns.filter('mine'),
      ]);
      const stream = readFileSync(
        join(second.plane.store.dataDir(second.plane.lookup('dataset', arns.itemsDataset).id), 'stream.csv'),
        'utf8',
      );
      expect(stream).toContain('streamed-before-restart');
      // The demo campaigns answer from the new engine, with the filter added before the restart.
      const campaign = await controlPlaneTargets(second.plane).campaign(
        DEFAULT_WIRE_CONFIG.campaigns.userPersonalization,
      );
      const userId = second.engine.hybridModel.users.ids[0]!;
      const answer = await campaign!.recommender.getRecommendations({
        userId,
        numResults: 5,
        filter: 'mine',
      });
      expect(answer.items).toHaveLength(5);
    } finally {
      await second.plane.close();
    }
  });

  it('gives the new engine the events streamed into the demo group before the restart, once', async () => {
    const first = await start();
    const items = first.engine.hybridModel.items.ids.slice(0, 12);
    const tracker = await controlPlaneTargets(first.plane).tracker(DEFAULT_WIRE_CONFIG.trackingId);
    const sentAt = new Date('2026-11-30T10:00:00Z');
    // Twelve events: more than one PutEvents request holds, so the replay has to split them.
    for (const batch of [items.slice(0, 10), items.slice(10)]) {
      await tracker!.putEvents({
        sessionId: 'pe1-session',
        userId: 'pe1',
        eventList: batch.map((itemId) => ({ eventType: 'click', itemId, sentAt })),
      });
    }
    await first.plane.close();

    const second = await start();
    try {
      const campaign = await controlPlaneTargets(second.plane).campaign(
        DEFAULT_WIRE_CONFIG.campaigns.userPersonalization,
      );
      const recommender = campaign!.recommender;
      // The campaign serves the engine trained at this start, whose history endpoint the check reads.
      expect(recommender).toBe(second.engine);
      const history = await second.engine.getUserHistory({ userId: 'pe1', numResults: 50 });
      expect(history.items.map((i) => i.itemId).sort()).toEqual([...items].sort());
      expect(history.items[0]).toMatchObject({ eventType: 'click', timestamp: sentAt.getTime() / 1000 });
      const mine = await recommender.getRecommendations({ userId: 'pe1', numResults: 10 });
      const cold = await recommender.getRecommendations({ userId: 'never-seen', numResults: 10 });
      expect(mine.items.map((i) => i.itemId)).not.toEqual(cold.items.map((i) => i.itemId));
      // Adopting the same engine again (it already has the rows) must not apply them a second time.
      await adoptDemoEngine(second.plane, { engine: second.engine, names: DEFAULT_WIRE_CONFIG, filters });
      expect((await second.engine.getUserHistory({ userId: 'pe1', numResults: 50 })).items).toHaveLength(12);
    } finally {
      await second.plane.close();
    }
  });
});

/** Every record of the plane as `<arn> <status>`, by kind, sorted: what a restart must keep as it was. */
function inventory(plane: LocalPersonalize): Record<string, string[]> {
  const kinds = [
    'datasetGroup',
    'schema',
    'dataset',
    'solution',
    'solutionVersion',
    'campaign',
    'eventTracker',
    'filter',
  ] as const;
  return Object.fromEntries(
    kinds.map((kind) => [
      kind,
      plane.store
        .list(kind)
        .map((r) => `${r.arn} ${r.status}`)
        .sort(),
    ]),
  );
}
