import { randomBytes } from 'node:crypto';
import { InvalidInputError, ResourceInUseError, ResourceNotFoundError } from '../../errors.ts';
import type { DatasetFiles } from '../../local/data/load.ts';
import { type LocalPersonalize, type Operation, PENDING } from '../control-plane.ts';
import { hyperParametersShape } from '../hyperparameters.ts';
import { RECIPES, type Recipe, recipeByArn } from '../recipes.ts';
import { describe, type ResourceRecord, START_ENGINE_GROUP, summarize } from '../resources.ts';
import * as shapes from '../shapes.ts';
import { removeFiles } from '../store.ts';
import { startTraining, type TrainingRun } from '../trainer.ts';
import { describeOperation, listOperation } from './common.ts';
import { dataOf, datasetOfGroup, schemaOf } from './datasets.ts';

/** AutoML picks among user-personalization recipes; locally there is one engine, so it takes this one. */
const AUTOML_RECIPE = 'arn:aws:personalize:::recipe/aws-user-personalization';

interface Training {
  run?: TrainingRun;
  metrics: Promise<void>;
}
const trainings = new WeakMap<LocalPersonalize, Map<string, Training>>();

function trainingsOf(plane: LocalPersonalize): Map<string, Training> {
  let map = trainings.get(plane);
  if (map === undefined) {
    map = new Map();
    trainings.set(plane, map);
  }
  return map;
}

/** The recipe a solution version was trained for. */
export function recipeOf(version: ResourceRecord): Recipe {
  return recipeByArn(String(version.props.recipeArn));
}

const createSolution: Operation = async (plane, body) => {
  const request = plane.parse(shapes.createSolution, body);
  if (request.recipeArn === undefined && request.performAutoML !== true) {
    throw new InvalidInputError([
      { field: 'recipeArn', message: 'is required unless performAutoML is true' },
    ]);
  }
  const recipeArn = request.recipeArn ?? AUTOML_RECIPE;
  // A real recipe the local engine does not implement is the caller's choice to change, not a missing thing.
  if (!RECIPES.some((r) => r.recipeArn === recipeArn))
    throw new InvalidInputError([
      {
        field: 'recipeArn',
        message: `${recipeArn} is not implemented by local Personalize; use one of ${RECIPES.map((r) => r.recipeArn).join(', ')}`,
      },
    ]);
  const recipe = recipeByArn(recipeArn);
  plane.parse(hyperParametersShape(recipe), body);
  const group = plane.lookup('datasetGroup', request.datasetGroupArn);
  plane.requireActive(group);
  const solution = plane.create('solution', {
    resource: `solution/${request.name}`,
    name: request.name,
    parentArn: group.arn,
    props: {
      datasetGroupArn: group.arn,
      recipeArn: recipe.recipeArn,
      performHPO: request.performHPO ?? false,
      performAutoML: request.performAutoML ?? false,
      performAutoTraining: request.performAutoTraining ?? true,
      performIncrementalUpdate: request.performIncrementalUpdate ?? false,
      ...(request.eventType !== undefined && { eventType: request.eventType }),
      ...(request.solutionConfig !== undefined && { solutionConfig: request.solutionConfig }),
    },
    tags: request.tags,
  });
  // The solution is ACTIVE once a training worker is up, so its first version starts training at once.
  plane.advance(solution, async () => {
    await plane.trainers?.warm();
  });
  return { solutionArn: solution.arn };
};

const describeSolution: Operation = async (plane, body) => {
  const { solutionArn } = plane.parse(shapes.byArn('solutionArn'), body) as { solutionArn: string };
  const solution = plane.lookup('solution', solutionArn);
  const versions = plane.store.list('solutionVersion', solution.arn);
  const latest = versions.at(-1);
  return {
    solution: { ...describe(solution), ...(latest && { latestSolutionVersion: summarize(latest) }) },
  };
};

const updateSolution: Operation = async (plane, body) => {
  const request = plane.parse(shapes.updateSolution, body);
  const solution = plane.lookup('solution', request.solutionArn);
  plane.requireActive(solution);
  if (request.performAutoTraining !== undefined)
    solution.props.performAutoTraining = request.performAutoTraining;
  if (request.performIncrementalUpdate !== undefined) {
    solution.props.performIncrementalUpdate = request.performIncrementalUpdate;
  }
  plane.store.touch(solution);
  return { solutionArn: solution.arn };
};

const deleteSolution: Operation = async (plane, body) => {
  const { solutionArn } = plane.parse(shapes.byArn('solutionArn'), body) as { solutionArn: string };
  const solution = plane.lookup('solution', solutionArn);
  plane.requireNotDeleting(solution);
  const versions = plane.store.list('solutionVersion', solution.arn);
  const versionArns = new Set(versions.map((v) => v.arn));
  const campaign = plane.store.list('campaign').find((c) => {
    const update = c.props.latestCampaignUpdate as { solutionVersionArn?: string } | undefined;
    return (
      versionArns.has(String(c.props.solutionVersionArn)) ||
      versionArns.has(String(update?.solutionVersionArn))
    );
  });
  if (campaign) throw new ResourceInUseError(`campaign ${campaign.arn} serves a version of ${solution.arn}`);
  const busy = versions.find((v) => PENDING.has(v.status) || v.status === 'CREATE STOPPING');
  if (busy) throw new ResourceInUseError(`solution version ${busy.arn} is ${busy.status}`);
  const job = [...plane.store.list('batchInferenceJob'), ...plane.store.list('batchSegmentJob')].find(
    (j) => versionArns.has(String(j.parentArn)) && PENDING.has(j.status),
  );
  if (job) throw new ResourceInUseError(`batch job ${job.arn} is ${job.status}`);
  plane.destroy(solution, async () => {
    for (const version of versions) {
      plane.served.evict(version.arn);
      for (const kind of ['batchInferenceJob', 'batchSegmentJob'] as const) {
        for (const j of plane.store.list(kind, version.arn)) plane.store.remove(j.key);
      }
      plane.store.remove(version.key);
      await removeFiles(plane.store.modelFile(version.id));
    }
  });
  return {};
};

/** The files a version of `solution` trains on, built from the dataset group's datasets. */
async function trainingFiles(plane: LocalPersonalize, solution: ResourceRecord): Promise<DatasetFiles> {
  const group = plane.lookup('datasetGroup', String(solution.props.datasetGroupArn));
  const scratch = plane.store.scratchDir();
  const interactions = datasetOfGroup(plane, group, 'interactions');
  const eventType = solution.props.eventType as string | undefined;
  const interactionsFile =
    interactions && (await dataOf(plane, interactions).trainingFile(scratch, eventType));
  if (!interactions || interactionsFile === undefined) {
    throw new Error('Create failed. The dataset group has no imported interactions data.');
  }
  const files: { interactions: string; items?: string; users?: string } = { interactions: interactionsFile };
  const schemas: Record<string, unknown> = { interactions: schemaOf(plane, interactions) };
  for (const type of ['items', 'users'] as const) {
    const dataset = datasetOfGroup(plane, group, type);
    const file = dataset && (await dataOf(plane, dataset).trainingFile(scratch));
    if (dataset && file !== undefined) {
      files[type] = file;
      schemas[type] = schemaOf(plane, dataset);
    }
  }
  return { ...files, schemas } as DatasetFiles;
}

function train(plane: LocalPersonalize, version: ResourceRecord, solution: ResourceRecord): void {
  const state: Training = { metrics: Promise.resolve() };
  let metricsReady!: () => void;
  state.metrics = new Promise<void>((resolve) => {
    metricsReady = resolve;
  });
  trainingsOf(plane).set(version.arn, state);
  const temporary: string[] = [];
  plane.lifecycle.spawn(
    async () => {
      try {
        await trainVersion();
      } finally {
        metricsReady();
        await removeFiles(...temporary);
        if (!plane.lifecycle.closed) void plane.trainers?.warm();
      }
    },
    (error) => {
      if (version.status !== 'ACTIVE') {
        plane.setStatus(version, 'CREATE FAILED', error instanceof Error ? error.message : String(error));
      }
    },
  );

  async function trainVersion(): Promise<void> {
    await plane.lifecycle.step();
    if (version.status !== 'CREATE PENDING') return;
    plane.setStatus(version, 'CREATE IN_PROGRESS');
    const files = await trainingFiles(plane, solution);
    for (const path of [files.interactions, files.items, files.users]) {
      if (path?.startsWith(plane.store.scratchDir())) temporary.push(path);
    }
    // Stopped while the files were being put together: nothing to train.
    if ((version.status as string) !== 'CREATE IN_PROGRESS') return;
    const eventType = solution.props.eventType as string | undefined;
    let activated: Promise<void> = Promise.resolve();
    const run = startTraining(
      {
        files,
        recipeType: recipeOf(version).recipeType,
        needsItemAttributes: recipeOf(version).name === 'aws-item-attribute-affinity',
        tune: solution.props.performHPO === true,
        modelFile: plane.store.modelFile(version.id),
        ...(eventType !== undefined && { eventType }),
      },
      {
        onTrained: (seconds) => {
          version.props.trainingHours = Math.round((seconds / 3600) * 1e6) / 1e6;
          activated = plane.lifecycle.step().then(() => {
            if (version.status === 'CREATE IN_PROGRESS') plane.setStatus(version, 'ACTIVE');
          });
        },
        onMetrics: (metrics) => {
          version.props.metrics = metrics;
          plane.store.touch(version);
        },
      },
      plane.trainers,
    );
    state.run = run;
    const stopOnClose = () => void run.stop();
    plane.lifecycle.signal.addEventListener('abort', stopOnClose, { once: true });
    try {
      await run.done;
      await activated;
    } catch (error) {
      // Status changes behind TypeScript's back (stop, activation), so read it afresh.
      const status: string = version.status;
      if (plane.lifecycle.closed || status === 'CREATE STOPPING') return;
      // A failure while computing metrics leaves the trained version usable.
      if (status !== 'ACTIVE') throw error;
    } finally {
      plane.lifecycle.signal.removeEventListener('abort', stopOnClose);
    }
  }
}

/** The demo group serves the engine trained at start from `--data`; its datasets lack that data to train on. */
function refuseStartEngineGroup(plane: LocalPersonalize, solution: ResourceRecord): void {
  const group = plane.lookup('datasetGroup', String(solution.props.datasetGroupArn));
  if (group.props[START_ENGINE_GROUP] !== true) return;
  throw new InvalidInputError([
    {
      field: 'solutionArn',
      message:
        `dataset group ${group.arn} serves the model the local server trains at start and cannot be ` +
        'retrained: create your own dataset group, import data into it and train there',
    },
  ]);
}

const createSolutionVersion: Operation = async (plane, body) => {
  const request = plane.parse(shapes.createSolutionVersion, body);
  const solution = plane.lookup('solution', request.solutionArn);
  plane.requireActive(solution);
  refuseStartEngineGroup(plane, solution);
  const trainingMode = request.trainingMode ?? 'FULL';
  const versions = plane.store.list('solutionVersion', solution.arn);
  if (trainingMode === 'UPDATE') {
    const recipe = recipeByArn(String(solution.props.recipeArn));
    if (recipe.name !== 'aws-user-personalization' || !versions.some((v) => v.status === 'ACTIVE')) {
      throw new InvalidInputError([
        {
          field: 'trainingMode',
          message: 'UPDATE needs an ACTIVE FULL version of a User-Personalization solution',
        },
      ]);
    }
  }
  const busy = versions.find((v) => PENDING.has(v.status));
  if (busy)
    throw new ResourceInUseError(`solution version ${busy.arn} of this solution is still ${busy.status}`);
  const versionId = randomBytes(4).toString('hex');
  const version = plane.create('solutionVersion', {
    resource: `${solution.key}/${versionId}`,
    name: request.name ?? '',
    parentArn: solution.arn,
    props: {
      solutionArn: solution.arn,
      datasetGroupArn: solution.props.datasetGroupArn,
      recipeArn: solution.props.recipeArn,
      performHPO: solution.props.performHPO,
      performAutoML: solution.props.performAutoML,
      performIncrementalUpdate: solution.props.performIncrementalUpdate,
      ...(solution.props.eventType !== undefined && { eventType: solution.props.eventType }),
      ...(solution.props.solutionConfig !== undefined && { solutionConfig: solution.props.solutionConfig }),
      trainingMode,
      trainingType: 'MANUAL',
    },
    tags: request.tags,
  });
  train(plane, version, solution);
  return { solutionVersionArn: version.arn };
};

const stopSolutionVersionCreation: Operation = async (plane, body) => {
  const { solutionVersionArn } = plane.parse(shapes.byArn('solutionVersionArn'), body) as {
    solutionVersionArn: string;
  };
  const version = plane.lookup('solutionVersion', solutionVersionArn);
  if (!PENDING.has(version.status)) {
    throw new ResourceInUseError(`solution version ${version.arn} is ${version.status}, not being created`);
  }
  plane.setStatus(version, 'CREATE STOPPING');
  const state = trainingsOf(plane).get(version.arn);
  plane.lifecycle.spawn(
    async () => {
      await state?.run?.stop();
      await plane.lifecycle.step();
      plane.setStatus(version, 'CREATE STOPPED');
    },
    () => plane.setStatus(version, 'CREATE STOPPED'),
  );
  return {};
};

const getSolutionMetrics: Operation = async (plane, body) => {
  const { solutionVersionArn } = plane.parse(shapes.byArn('solutionVersionArn'), body) as {
    solutionVersionArn: string;
  };
  const version = plane.lookup('solutionVersion', solutionVersionArn);
  plane.requireActive(version);
  await trainingsOf(plane).get(version.arn)?.metrics;
  return { solutionVersionArn: version.arn, metrics: version.props.metrics ?? {} };
};

/** The ACTIVE version a campaign ARN member names: a version ARN, or `<solution ARN>/$LATEST`. */
export function versionFor(plane: LocalPersonalize, arn: string, field: string): ResourceRecord {
  if (arn.endsWith('/$LATEST')) {
    const solution = plane.lookup('solution', arn.slice(0, -'/$LATEST'.length), field);
    const latest = plane.store
      .list('solutionVersion', solution.arn)
      .filter((v) => v.status === 'ACTIVE')
      .at(-1);
    if (!latest) throw new ResourceInUseError(`solution ${solution.arn} has no ACTIVE solution version`);
    return latest;
  }
  return plane.lookup('solutionVersion', arn, field);
}

const listRecipes: Operation = async (plane, body) => {
  const request = plane.parse(shapes.listRecipes, body);
  // Domain recipes serve recommenders, which the local control plane does not have.
  const recipes = request.domain === undefined ? RECIPES : [];
  const now = 1_546_300_800;
  const { page, nextToken } = paginateRecipes(recipes, request);
  return {
    recipes: page.map((r) => ({
      name: r.name,
      recipeArn: r.recipeArn,
      status: 'ACTIVE',
      creationDateTime: now,
      lastUpdatedDateTime: now,
    })),
    ...(nextToken !== undefined && { nextToken }),
  };
};

function paginateRecipes(recipes: readonly Recipe[], request: { nextToken?: string; maxResults?: number }) {
  const offset = request.nextToken === undefined ? 0 : Number.parseInt(request.nextToken, 10);
  if (!Number.isInteger(offset) || offset < 0 || offset > recipes.length) {
    throw new InvalidInputError([{ field: 'nextToken', message: 'is not a token of this listing' }]);
  }
  const size = request.maxResults ?? 100;
  const next = offset + size;
  return { page: recipes.slice(offset, next), ...(next < recipes.length && { nextToken: String(next) }) };
}

const describeRecipe: Operation = async (plane, body) => {
  const { recipeArn } = plane.parse(shapes.byArn('recipeArn'), body) as { recipeArn: string };
  const recipe = RECIPES.find((r) => r.recipeArn === recipeArn);
  if (!recipe) throw new ResourceNotFoundError(`recipe ${recipeArn} does not exist`);
  const now = 1_546_300_800;
  return { recipe: { ...recipe, status: 'ACTIVE', creationDateTime: now, lastUpdatedDateTime: now } };
};

export const SOLUTION_OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateSolution: createSolution,
  DescribeSolution: describeSolution,
  ListSolutions: listOperation('solution', 'datasetGroupArn', 'datasetGroup'),
  UpdateSolution: updateSolution,
  DeleteSolution: deleteSolution,
  CreateSolutionVersion: createSolutionVersion,
  DescribeSolutionVersion: describeOperation('solutionVersion'),
  ListSolutionVersions: listOperation('solutionVersion', 'solutionArn', 'solution'),
  StopSolutionVersionCreation: stopSolutionVersionCreation,
  GetSolutionMetrics: getSolutionMetrics,
  ListRecipes: listRecipes,
  DescribeRecipe: describeRecipe,
};
