import { batchOutputLine } from '../../batch/local/local-batch-lines.ts';
import { InvalidInputError } from '../../errors.ts';
import type { Recommender } from '../../recommender/types.ts';
import { notJsonLine, parseLine, readInputLines } from '../batch-lines.ts';
import { type LocalPersonalize, type Operation, PENDING } from '../control-plane.ts';
import { LimitExceededError } from '../errors.ts';
import type { RecipeType } from '../recipes.ts';
import type { ResourceKind, ResourceRecord, Tag } from '../resources.ts';
import { parseLocation } from '../s3-objects.ts';
import { type SegmentRecipe, segmentOutput } from '../segment-job.ts';
import * as shapes from '../shapes.ts';
import { describeOperation, listOperation } from './common.ts';
import { recipeOf } from './solutions.ts';

/** Batch jobs running at once per account (personalize-reference.md §6.2). */
const MAX_RUNNING_JOBS = 5;
const DEFAULT_NUM_RESULTS = 25;

interface BatchRequest {
  jobName: string;
  solutionVersionArn: string;
  filterArn?: string | undefined;
  numResults?: number | undefined;
  jobInput: { s3DataSource: { path: string } };
  jobOutput: { s3DataDestination: { path: string } };
}

/** Creates a batch job of either kind with the members both share, plus the kind's own `props`. */
function createJob(
  plane: LocalPersonalize,
  kind: 'batchInferenceJob' | 'batchSegmentJob',
  resourcePrefix: string,
  request: BatchRequest & { roleArn: string; tags?: Tag[] | undefined },
  version: ResourceRecord,
  props: Record<string, unknown>,
): ResourceRecord {
  return plane.create(kind, {
    resource: `${resourcePrefix}/${request.jobName}`,
    name: request.jobName,
    parentArn: version.arn,
    props: {
      solutionVersionArn: version.arn,
      jobInput: request.jobInput,
      jobOutput: request.jobOutput,
      roleArn: request.roleArn,
      numResults: request.numResults ?? DEFAULT_NUM_RESULTS,
      ...props,
    },
    tags: request.tags,
  });
}

/** Checks shared by both batch job kinds; returns the version and the filter's name. */
function checkBatch(plane: LocalPersonalize, kind: ResourceKind, request: BatchRequest) {
  const input = request.jobInput.s3DataSource.path;
  const output = request.jobOutput.s3DataDestination.path;
  const inputKey = parseLocation(input, 'jobInput.s3DataSource.path').key;
  if (inputKey === '' || inputKey.endsWith('/')) {
    throw new InvalidInputError([
      { field: 'jobInput.s3DataSource.path', message: 'Invalid S3 input path: must name a file' },
    ]);
  }
  parseLocation(output, 'jobOutput.s3DataDestination.path');
  if (!output.endsWith('/')) {
    throw new InvalidInputError([
      {
        field: 'jobOutput.s3DataDestination.path',
        message: 'Invalid S3 output path: must be a folder ending in /',
      },
    ]);
  }
  if (output === input) {
    throw new InvalidInputError([
      {
        field: 'jobOutput.s3DataDestination.path',
        message: 'Invalid S3 output path: must differ from the input',
      },
    ]);
  }
  const version = plane.lookup('solutionVersion', request.solutionVersionArn);
  plane.requireActive(version);
  let filterName: string | undefined;
  if (request.filterArn !== undefined) {
    const filter = plane.lookup('filter', request.filterArn);
    plane.requireActive(filter);
    if (filter.parentArn !== version.props.datasetGroupArn) {
      throw new InvalidInputError([
        {
          field: 'filterArn',
          message: 'the filter belongs to another dataset group than the solution version',
        },
      ]);
    }
    filterName = filter.name;
  }
  if (plane.store.list(kind).filter((j) => PENDING.has(j.status)).length >= MAX_RUNNING_JOBS) {
    throw new LimitExceededError(
      `More than ${MAX_RUNNING_JOBS} resources with PENDING or IN_PROGRESS status (batch jobs)`,
    );
  }
  return { version, filterName };
}

/** What one input line asks for, by the version's recipe type (personalize-reference.md §6.1). */
function answerLine(
  recommender: Recommender,
  recipeType: RecipeType,
  line: Record<string, unknown>,
  numResults: number,
  filter: string | undefined,
) {
  const common = {
    ...(filter !== undefined && { filter }),
    ...(line.filterValues !== undefined && { filterValues: line.filterValues }),
  };
  if (recipeType === 'PERSONALIZED_RANKING') {
    return recommender.getPersonalizedRanking({
      userId: line.userId,
      inputList: line.itemList,
      ...common,
    } as never);
  }
  if (recipeType === 'RELATED_ITEMS') {
    return recommender.getSimilarItems({ itemId: line.itemId, numResults, ...common } as never);
  }
  return recommender.getRecommendations({ userId: line.userId, numResults, ...common } as never);
}

async function runBatchInference(
  plane: LocalPersonalize,
  job: ResourceRecord,
  version: ResourceRecord,
): Promise<void> {
  const input = (job.props.jobInput as BatchRequest['jobInput']).s3DataSource.path;
  const recommender = await plane.served.recommender(version);
  const recipeType = recipeOf(version).recipeType;
  let text = '';
  for (const raw of await readInputLines(plane.s3, input)) {
    const line = parseLine(raw);
    if (line === undefined) {
      text += notJsonLine(raw);
      continue;
    }
    const query =
      typeof line.value === 'object' && line.value !== null ? (line.value as Record<string, unknown>) : {};
    text += await batchOutputLine(line.value, () =>
      answerLine(
        recommender,
        recipeType,
        query,
        Number(job.props.numResults),
        job.props.filterName as string | undefined,
      ),
    );
  }
  await putOutput(plane, job, text);
}

/** Writes a job's output as `<input file name>.out` in its output folder (personalize-reference.md §6.2). */
async function putOutput(plane: LocalPersonalize, job: ResourceRecord, text: string): Promise<void> {
  const input = (job.props.jobInput as BatchRequest['jobInput']).s3DataSource.path;
  const output = (job.props.jobOutput as BatchRequest['jobOutput']).s3DataDestination.path;
  const name = input.slice(input.lastIndexOf('/') + 1);
  await plane.s3.put(`${output}${name}.out`, text, 'jobOutput.s3DataDestination.path');
}

const createBatchInferenceJob: Operation = async (plane, body) => {
  const request = plane.parse(shapes.createBatchInferenceJob, body);
  const { version, filterName } = checkBatch(plane, 'batchInferenceJob', request);
  const recipe = recipeOf(version);
  if (recipe.recipeType === 'USER_SEGMENTATION') {
    throw new InvalidInputError([
      {
        field: 'solutionVersionArn',
        message: `uses ${recipe.name}, a USER_SEGMENTATION recipe; run it with CreateBatchSegmentJob`,
      },
    ]);
  }
  if (request.batchInferenceJobMode === 'THEME_GENERATION') {
    throw new InvalidInputError([
      {
        field: 'batchInferenceJobMode',
        message: 'THEME_GENERATION needs the Similar-Items recipe, which is not local',
      },
    ]);
  }
  const job = createJob(plane, 'batchInferenceJob', 'batch-inference-job', request, version, {
    batchInferenceJobMode: request.batchInferenceJobMode ?? 'BATCH_INFERENCE',
    ...(request.filterArn !== undefined && { filterArn: request.filterArn, filterName }),
    ...(request.batchInferenceJobConfig !== undefined && {
      batchInferenceJobConfig: request.batchInferenceJobConfig,
    }),
  });
  plane.advance(job, () => runBatchInference(plane, job, version));
  return { batchInferenceJobArn: job.arn };
};

async function runBatchSegment(plane: LocalPersonalize, job: ResourceRecord, version: ResourceRecord) {
  const input = (job.props.jobInput as BatchRequest['jobInput']).s3DataSource.path;
  const { hybridModel } = await plane.served.recommender(version);
  const lines = await readInputLines(plane.s3, input);
  const recipe = recipeOf(version).name as SegmentRecipe;
  await putOutput(plane, job, await segmentOutput(hybridModel, recipe, lines, Number(job.props.numResults)));
}

/** Segment jobs run USER_SEGMENTATION versions (Item-Affinity, Item-Attribute-Affinity) only. */
const createBatchSegmentJob: Operation = async (plane, body) => {
  const request = plane.parse(shapes.createBatchSegmentJob, body);
  const { version } = checkBatch(plane, 'batchSegmentJob', request);
  const recipe = recipeOf(version);
  if (recipe.recipeType !== 'USER_SEGMENTATION') {
    throw new InvalidInputError([
      {
        field: 'solutionVersionArn',
        message: `uses ${recipe.name}, a ${recipe.recipeType} recipe; batch segment jobs need a USER_SEGMENTATION recipe`,
      },
    ]);
  }
  if (request.filterArn !== undefined) {
    // Local filters are item filters (ItemID); segments are filtered by UserID expressions.
    throw new InvalidInputError([
      {
        field: 'filterArn',
        message: 'batch segment jobs take UserID filters, which local Personalize does not support',
      },
    ]);
  }
  const job = createJob(plane, 'batchSegmentJob', 'batch-segment-job', request, version, {});
  plane.advance(job, () => runBatchSegment(plane, job, version));
  return { batchSegmentJobArn: job.arn };
};

export const BATCH_OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateBatchInferenceJob: createBatchInferenceJob,
  DescribeBatchInferenceJob: describeOperation('batchInferenceJob'),
  ListBatchInferenceJobs: listOperation('batchInferenceJob', 'solutionVersionArn', 'solutionVersion'),
  CreateBatchSegmentJob: createBatchSegmentJob,
  DescribeBatchSegmentJob: describeOperation('batchSegmentJob'),
  ListBatchSegmentJobs: listOperation('batchSegmentJob', 'solutionVersionArn', 'solutionVersion'),
};
