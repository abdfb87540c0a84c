/**
 * Request shapes of the control-plane operations (personalize-reference.md §1.5, §2), checked before any
 * lookup. Messages name the limit; the path names the member.
 */
import { z } from 'zod';

const typed = (expected: string) => ({
  error: (issue: { code?: string; input?: unknown }) => {
    if (issue.code !== 'invalid_type' && issue.code !== 'invalid_union') return undefined;
    return issue.input === undefined ? 'is required' : `must be ${expected}`;
  },
});

const text = (max: number, min = 1) =>
  z
    .string(typed('a string'))
    .min(min, `must be ${min} to ${max} characters`)
    .max(max, `must be ${min} to ${max} characters`);

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/;
export const name = text(63).regex(NAME, `must match ${NAME.source}`);
export const arn = text(256).regex(/^arn:([a-z\d-]+):personalize:.*:.*:.+$/, 'must be a Personalize ARN');
const roleArn = text(256).regex(
  /^arn:([a-z\d-]+):iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/,
  'must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)',
);
const kmsKeyArn = text(2048).regex(/^arn:aws.*:kms:.*:[0-9]{12}:key\/.*$/, 'must be a KMS key ARN');
export const s3Path = text(256).regex(/^(s3|http|https):\/\/.+$/, 'must be an s3:// path');
const bool = z.boolean(typed('true or false'));
const stringMap = (maxEntries: number, valueLength = 1000) =>
  z
    .record(text(256), text(valueLength, 0), typed('an object of strings'))
    .refine((m) => Object.keys(m).length <= maxEntries, `must hold at most ${maxEntries} entries`);

const TAG_TEXT = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
export const tags = z
  .array(
    z.object(
      {
        tagKey: text(128).regex(TAG_TEXT, 'must hold letters, digits, spaces or _.:/=+-@'),
        tagValue: text(256, 0).regex(TAG_TEXT, 'must hold letters, digits, spaces or _.:/=+-@'),
      },
      typed('a {tagKey, tagValue} object'),
    ),
    typed('an array of tags'),
  )
  .max(200, 'must hold at most 200 tags');

const listing = {
  nextToken: text(1500).optional(),
  maxResults: z
    .number(typed('an integer'))
    .int('must be an integer')
    .min(1, 'must be 1 to 100')
    .max(100, 'must be 1 to 100')
    .optional(),
};

export const listShape = <T extends z.ZodRawShape>(extra: T) => z.object({ ...listing, ...extra });

export const createDatasetGroup = z
  .object({
    name,
    roleArn: roleArn.optional(),
    kmsKeyArn: kmsKeyArn.optional(),
    domain: z.enum(['ECOMMERCE', 'VIDEO_ON_DEMAND'], 'must be ECOMMERCE or VIDEO_ON_DEMAND').optional(),
    tags: tags.optional(),
  })
  .refine((v) => v.roleArn === undefined || v.kmsKeyArn !== undefined, {
    path: ['roleArn'],
    message: 'is only valid together with kmsKeyArn',
  });

export const createSchema = z.object({
  name,
  schema: text(20_000),
  domain: z.enum(['ECOMMERCE', 'VIDEO_ON_DEMAND'], 'must be ECOMMERCE or VIDEO_ON_DEMAND').optional(),
});

export const createDataset = z.object({
  name,
  schemaArn: arn,
  datasetGroupArn: arn,
  datasetType: text(256).regex(/^[A-Za-z_]+$/, 'must be Interactions, Items or Users'),
  tags: tags.optional(),
});

export const updateDataset = z.object({ datasetArn: arn, schemaArn: arn });

export const createDatasetImportJob = z.object({
  jobName: name,
  datasetArn: arn,
  dataSource: z.object({ dataLocation: s3Path }, typed('an object with dataLocation')),
  roleArn: roleArn.optional(),
  importMode: z.enum(['FULL', 'INCREMENTAL'], 'must be FULL or INCREMENTAL').optional(),
  publishAttributionMetricsToS3: bool.optional(),
  tags: tags.optional(),
});

const solutionConfig = z
  .object(
    {
      eventValueThreshold: text(256).optional(),
      algorithmHyperParameters: stringMap(100).optional(),
      featureTransformationParameters: stringMap(100).optional(),
      hpoConfig: z.record(z.string(), z.unknown()).optional(),
      autoMLConfig: z.record(z.string(), z.unknown()).optional(),
      eventsConfig: z.record(z.string(), z.unknown()).optional(),
      optimizationObjective: z.record(z.string(), z.unknown()).optional(),
      trainingDataConfig: z.record(z.string(), z.unknown()).optional(),
      autoTrainingConfig: z
        .object({ schedulingExpression: text(16).regex(/^rate\(\d+ days?\)$/, 'must be rate(N day[s])') })
        .optional(),
    },
    typed('an object'),
  )
  .loose();

export const createSolution = z.object({
  name,
  datasetGroupArn: arn,
  recipeArn: arn.optional(),
  performHPO: bool.optional(),
  performAutoML: bool.optional(),
  performAutoTraining: bool.optional(),
  performIncrementalUpdate: bool.optional(),
  eventType: text(256).optional(),
  solutionConfig: solutionConfig.optional(),
  tags: tags.optional(),
});

export const updateSolution = z.object({
  solutionArn: arn,
  performAutoTraining: bool.optional(),
  performIncrementalUpdate: bool.optional(),
  solutionUpdateConfig: z.record(z.string(), z.unknown()).optional(),
});

export const createSolutionVersion = z.object({
  solutionArn: arn,
  name: name.optional(),
  trainingMode: z.enum(['FULL', 'UPDATE', 'AUTOTRAIN'], 'must be FULL, UPDATE or AUTOTRAIN').optional(),
  tags: tags.optional(),
});

const campaignConfig = z
  .object(
    {
      itemExplorationConfig: stringMap(100).optional(),
      enableMetadataWithRecommendations: bool.optional(),
      syncWithLatestSolutionVersion: bool.optional(),
      rankingInfluence: z.record(z.string(), z.number()).optional(),
    },
    typed('an object'),
  )
  .loose();

const tps = z.number(typed('an integer')).int('must be an integer').min(1, 'must be at least 1');

export const createCampaign = z.object({
  name,
  solutionVersionArn: arn,
  minProvisionedTPS: tps.optional(),
  campaignConfig: campaignConfig.optional(),
  tags: tags.optional(),
});

export const updateCampaign = z.object({
  campaignArn: arn,
  solutionVersionArn: arn.optional(),
  minProvisionedTPS: tps.optional(),
  campaignConfig: campaignConfig.optional(),
});

export const createEventTracker = z.object({ name, datasetGroupArn: arn, tags: tags.optional() });

export const createFilter = z.object({
  name,
  datasetGroupArn: arn,
  filterExpression: text(2500),
  tags: tags.optional(),
});

const batchCommon = {
  jobName: name,
  solutionVersionArn: arn,
  filterArn: arn.optional(),
  numResults: z.number(typed('an integer')).int('must be an integer').min(1).max(500).optional(),
  jobInput: z.object(
    {
      s3DataSource: z.object({ path: s3Path, kmsKeyArn: kmsKeyArn.optional() }, typed('an object with path')),
    },
    typed('an object with s3DataSource'),
  ),
  jobOutput: z.object(
    {
      s3DataDestination: z.object(
        { path: s3Path, kmsKeyArn: kmsKeyArn.optional() },
        typed('an object with path'),
      ),
    },
    typed('an object with s3DataDestination'),
  ),
  roleArn,
  tags: tags.optional(),
};

export const createBatchInferenceJob = z.object({
  ...batchCommon,
  batchInferenceJobConfig: z.record(z.string(), z.unknown()).optional(),
  batchInferenceJobMode: z
    .enum(['BATCH_INFERENCE', 'THEME_GENERATION'], 'must be BATCH_INFERENCE or THEME_GENERATION')
    .optional(),
  themeGenerationConfig: z.record(z.string(), z.unknown()).optional(),
});

export const createBatchSegmentJob = z.object({
  ...batchCommon,
  // Users per segment: Personalize's documented ceiling, not the 500 items of an inference line.
  numResults: z.number(typed('an integer')).int('must be an integer').min(1).max(5_000_000).optional(),
});

const byArnShapes = new Map<string, z.ZodObject>();

/** `{ <member>: ARN }`, built once per member: zod compiles each object shape it parses. */
export function byArn(member: string): z.ZodObject {
  let shape = byArnShapes.get(member);
  if (shape === undefined) {
    shape = z.object({ [member]: arn });
    byArnShapes.set(member, shape);
  }
  return shape;
}

export const listRecipes = listShape({
  recipeProvider: z.literal('SERVICE', 'must be SERVICE').optional(),
  domain: z.enum(['ECOMMERCE', 'VIDEO_ON_DEMAND'], 'must be ECOMMERCE or VIDEO_ON_DEMAND').optional(),
});

export const tagResource = z.object({ resourceArn: arn, tags });
export const untagResource = z.object({
  resourceArn: arn,
  tagKeys: z.array(text(128), typed('an array of tag keys')).max(200, 'must hold at most 200 keys'),
});
