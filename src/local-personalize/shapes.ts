/**
 * Request shapes of the control-plane operations (personalize-reference.md §1.5, §2), checked before any
 * lookup. Messages name the limit; the path names the member.
 */
import * as z from 'zod/mini';
import { LIMITS } from '../recommender/limits.ts';
import { itemExplorationConfig } from './exploration.ts';
import { anyObject, integer, integerBetween, matching, text, typed } from './shape-primitives.ts';
import { solutionConfig, solutionUpdateConfig } from './solution-config.ts';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/;
export const name = matching(63, NAME, `must match ${NAME.source}`);
export const arn = matching(256, /^arn:([a-z\d-]+):personalize:.*:.*:.+$/, 'must be a Personalize ARN');
const roleArn = matching(
  256,
  /^arn:([a-z\d-]+):iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/,
  'must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)',
);
const kmsKeyArn = matching(2048, /^arn:aws.*:kms:.*:[0-9]{12}:key\/.*$/, 'must be a KMS key ARN');
export const s3Path = matching(256, /^(s3|http|https):\/\/.+$/, 'must be an s3:// path');
const bool = z.boolean(typed('true or false'));
const domain = () => z.enum(['ECOMMERCE', 'VIDEO_ON_DEMAND'], 'must be ECOMMERCE or VIDEO_ON_DEMAND');

const TAG_TEXT = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
const TAG_TEXT_MESSAGE = 'must hold letters, digits, spaces or _.:/=+-@';
/** AWS applies the tags starting with `aws:` itself; callers may neither set nor remove them. */
const notReserved = z.refine<string>((value) => !/^aws:/i.test(value), 'must not start with aws: (reserved)');
export const tags = z
  .array(
    z.object(
      {
        tagKey: matching(128, TAG_TEXT, TAG_TEXT_MESSAGE).check(notReserved),
        tagValue: matching(256, TAG_TEXT, TAG_TEXT_MESSAGE, 0).check(notReserved),
      },
      typed('a {tagKey, tagValue} object'),
    ),
    typed('an array of tags'),
  )
  .check(z.maxLength(200, 'must hold at most 200 tags'));

const listing = {
  nextToken: z.optional(text(1500)),
  maxResults: z.optional(integerBetween(1, 100)),
};

export const listShape = <T extends z.core.$ZodLooseShape>(extra: T) => z.object({ ...listing, ...extra });

export const createDatasetGroup = z
  .object({
    name,
    roleArn: z.optional(roleArn),
    kmsKeyArn: z.optional(kmsKeyArn),
    domain: z.optional(domain()),
    tags: z.optional(tags),
  })
  .check(
    z.refine((v) => v.roleArn === undefined || v.kmsKeyArn !== undefined, {
      path: ['roleArn'],
      message: 'is only valid together with kmsKeyArn',
    }),
  );

export const createSchema = z.object({
  name,
  schema: text(20_000),
  domain: z.optional(domain()),
});

export const createDataset = z.object({
  name,
  schemaArn: arn,
  datasetGroupArn: arn,
  datasetType: matching(256, /^[A-Za-z_]+$/, 'must be Interactions, Items or Users'),
  tags: z.optional(tags),
});

export const updateDataset = z.object({ datasetArn: arn, schemaArn: arn });

export const createDatasetImportJob = z.object({
  jobName: name,
  datasetArn: arn,
  dataSource: z.object({ dataLocation: s3Path }, typed('an object with dataLocation')),
  roleArn: z.optional(roleArn),
  importMode: z.optional(z.enum(['FULL', 'INCREMENTAL'], 'must be FULL or INCREMENTAL')),
  publishAttributionMetricsToS3: z.optional(bool),
  tags: z.optional(tags),
});

export const createSolution = z.object({
  name,
  datasetGroupArn: arn,
  recipeArn: z.optional(arn),
  performHPO: z.optional(bool),
  performAutoML: z.optional(bool),
  performAutoTraining: z.optional(bool),
  performIncrementalUpdate: z.optional(bool),
  eventType: z.optional(text(256)),
  solutionConfig: z.optional(solutionConfig),
  tags: z.optional(tags),
});

export const updateSolution = z.object({
  solutionArn: arn,
  performAutoTraining: z.optional(bool),
  performIncrementalUpdate: z.optional(bool),
  solutionUpdateConfig: z.optional(solutionUpdateConfig),
});

export const createSolutionVersion = z.object({
  solutionArn: arn,
  name: z.optional(name),
  trainingMode: z.optional(z.enum(['FULL', 'UPDATE', 'AUTOTRAIN'], 'must be FULL, UPDATE or AUTOTRAIN')),
  tags: z.optional(tags),
});

const campaignConfig = z.looseObject(
  {
    itemExplorationConfig: z.optional(itemExplorationConfig),
    enableMetadataWithRecommendations: z.optional(bool),
    syncWithLatestSolutionVersion: z.optional(bool),
    rankingInfluence: z.optional(z.record(z.string(), z.number())),
  },
  typed('an object'),
);

const tps = integer(z.gte(1, 'must be at least 1'));

export const createCampaign = z.object({
  name,
  solutionVersionArn: arn,
  minProvisionedTPS: z.optional(tps),
  campaignConfig: z.optional(campaignConfig),
  tags: z.optional(tags),
});

export const updateCampaign = z.object({
  campaignArn: arn,
  solutionVersionArn: z.optional(arn),
  minProvisionedTPS: z.optional(tps),
  campaignConfig: z.optional(campaignConfig),
});

export const createEventTracker = z.object({ name, datasetGroupArn: arn, tags: z.optional(tags) });

export const createFilter = z.object({
  name,
  datasetGroupArn: arn,
  filterExpression: text(2500),
  tags: z.optional(tags),
});

const s3Location = (what: string) =>
  z.object({ path: s3Path, kmsKeyArn: z.optional(kmsKeyArn) }, typed(`an object with ${what}`));

const batchCommon = {
  jobName: name,
  solutionVersionArn: arn,
  filterArn: z.optional(arn),
  numResults: z.optional(integerBetween(LIMITS.numResults.min, LIMITS.numResults.max)),
  jobInput: z.object({ s3DataSource: s3Location('path') }, typed('an object with s3DataSource')),
  jobOutput: z.object({ s3DataDestination: s3Location('path') }, typed('an object with s3DataDestination')),
  roleArn,
  tags: z.optional(tags),
};

export const createBatchInferenceJob = z.object({
  ...batchCommon,
  batchInferenceJobConfig: z.optional(
    z.looseObject({ itemExplorationConfig: z.optional(itemExplorationConfig) }, typed('an object')),
  ),
  batchInferenceJobMode: z.optional(
    z.enum(['BATCH_INFERENCE', 'THEME_GENERATION'], 'must be BATCH_INFERENCE or THEME_GENERATION'),
  ),
  themeGenerationConfig: z.optional(anyObject()),
});

export const createBatchSegmentJob = z.object({
  ...batchCommon,
  // Users per segment: Personalize's documented ceiling, not the 500 items of an inference line.
  numResults: z.optional(integerBetween(1, 5_000_000)),
});

const byArnShapes = new Map<string, z.ZodMiniObject>();

/** `{ <member>: ARN }`, built once per member: zod compiles each object shape it parses. */
export function byArn(member: string): z.ZodMiniObject {
  let shape = byArnShapes.get(member);
  if (shape === undefined) {
    shape = z.object({ [member]: arn });
    byArnShapes.set(member, shape);
  }
  return shape;
}

export const listRecipes = listShape({
  recipeProvider: z.optional(z.literal('SERVICE', 'must be SERVICE')),
  domain: z.optional(domain()),
});

export const tagResource = z.object({ resourceArn: arn, tags });
export const untagResource = z.object({
  resourceArn: arn,
  tagKeys: z
    .array(text(128).check(notReserved), typed('an array of tag keys'))
    .check(z.maxLength(200, 'must hold at most 200 keys')),
});
