import { link, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FilterDefinition, LocalRecommender } from '../local/index.ts';
import type { WireConfig } from '../personalize-wire/config.ts';
import type { CampaignKind } from '../personalize-wire/operations.ts';
import { DATASET_TYPES, loadSchema } from '../schemas/index.ts';
import type { LocalPersonalize } from './control-plane.ts';
import { type ResourceKind, type ResourceRecord, START_ENGINE_GROUP } from './resources.ts';
import { replayStreamedEvents } from './stream-replay.ts';

const RECIPE_OF: Readonly<Record<CampaignKind, string>> = {
  userPersonalization: 'arn:aws:personalize:::recipe/aws-user-personalization',
  similarItems: 'arn:aws:personalize:::recipe/aws-sims',
  personalizedRanking: 'arn:aws:personalize:::recipe/aws-personalized-ranking',
};

/** What `npm start` already serves: its engine, the names the wire endpoint answers to, its filters. */
export interface DemoEngine {
  readonly engine: LocalRecommender;
  readonly names: WireConfig;
  readonly filters: readonly FilterDefinition[];
}

/** The resource at `resource`, created ACTIVE when missing (the engine is already trained and serving). */
function ensure(
  plane: LocalPersonalize,
  kind: ResourceKind,
  resource: string,
  init: { name: string; parentArn?: string; props: Record<string, unknown> },
): ResourceRecord {
  const found = plane.store.find(resource);
  if (found?.kind === kind) return found;
  const record = plane.create(kind, { resource, ...init });
  plane.setStatus(record, 'ACTIVE');
  return record;
}

/**
 * Makes the engine `npm start` trained an ordinary part of the control plane: its dataset group (with
 * Interactions, Items and Users datasets of the repository's schemas), one
 * solution, ACTIVE version and campaign per demo campaign name (all served by the same engine, so events and
 * catalogue updates reach every one), its event tracker with the demo trackingId, and its filters. They then
 * show in List*, Describe* and can be updated or deleted like any other. Re-adopting (next start) reuses the
 * records, replaces the versions' model with the new engine's and gives it the events streamed into the group.
 */
export async function adoptDemoEngine(plane: LocalPersonalize, demo: DemoEngine): Promise<void> {
  const { names, engine } = demo;
  const group = ensure(plane, 'datasetGroup', `dataset-group/${names.datasetGroupName}`, {
    name: names.datasetGroupName,
    props: {},
  });
  // Set at every adoption (state saved before the mark existed gets it too): CreateSolutionVersion refuses the
  // group, whose datasets hold only rows streamed in, not the data files the engine was trained on.
  if (group.props[START_ENGINE_GROUP] !== true) {
    group.props[START_ENGINE_GROUP] = true;
    plane.store.touch(group);
  }
  // Datasets with the repository's schemas, so PutEvents/PutItems/PutUsers on the demo ARNs keep their rows.
  for (const type of DATASET_TYPES) {
    const schemaName = `${names.datasetGroupName}-${type}`;
    const schema = ensure(plane, 'schema', `schema/${schemaName}`, {
      name: schemaName,
      props: { schema: loadSchema(type).avro },
    });
    ensure(plane, 'dataset', `dataset/${names.datasetGroupName}/${type.toUpperCase()}`, {
      name: schemaName,
      parentArn: group.arn,
      props: { datasetGroupArn: group.arn, datasetType: type, schemaArn: schema.arn },
    });
  }
  // Streamed rows reach the engines serving the group as they arrive: an engine already adopted has them.
  if (!plane.served.inGroup(group.arn).includes(engine)) await replayStreamedEvents(plane, group, engine);
  const model = engine.hybridModel.serialize();
  let first: string | undefined;
  for (const kind of Object.keys(RECIPE_OF) as CampaignKind[]) {
    const name = names.campaigns[kind];
    const solution = ensure(plane, 'solution', `solution/${name}`, {
      name,
      parentArn: group.arn,
      props: {
        datasetGroupArn: group.arn,
        recipeArn: RECIPE_OF[kind],
        performHPO: false,
        performAutoML: false,
        performAutoTraining: false,
        performIncrementalUpdate: false,
      },
    });
    const version = ensure(plane, 'solutionVersion', `${solution.key}/00000000`, {
      name: '',
      parentArn: solution.arn,
      props: {
        solutionArn: solution.arn,
        datasetGroupArn: group.arn,
        recipeArn: solution.props.recipeArn,
        performHPO: false,
        performAutoML: false,
        performIncrementalUpdate: false,
        trainingMode: 'FULL',
        trainingType: 'MANUAL',
      },
    });
    // One model file, hard-linked for the other versions: the three serve the same engine.
    const file = plane.store.modelFile(version.id);
    await mkdir(dirname(file), { recursive: true });
    await rm(file, { force: true });
    if (first === undefined) {
      await writeFile(file, model);
      first = file;
    } else {
      await link(first, file).catch(() => writeFile(file, model));
    }
    plane.served.adopt(version.arn, group.arn, engine);
    ensure(plane, 'campaign', `campaign/${name}`, {
      name,
      parentArn: version.arn,
      props: { solutionVersionArn: version.arn, minProvisionedTPS: 1 },
    });
  }
  if (plane.store.list('eventTracker', group.arn).length === 0) {
    ensure(plane, 'eventTracker', 'event-tracker/00000000', {
      name: `${names.datasetGroupName}-tracker`,
      parentArn: group.arn,
      props: { datasetGroupArn: group.arn, trackingId: names.trackingId, accountId: plane.account.accountId },
    });
  }
  for (const filter of demo.filters) {
    ensure(plane, 'filter', `filter/${filter.name}`, {
      name: filter.name,
      parentArn: group.arn,
      props: { datasetGroupArn: group.arn, filterExpression: filter.expression },
    });
  }
}
