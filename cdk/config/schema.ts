import * as z from 'zod/mini';
import { InvalidInputError } from '../../src/errors.ts';
import { parseFilterExpression } from '../../src/local/filters/parse.ts';
import { MAX_DATASET_GIB } from './data-lambda-storage.ts';

/** Personalize resource names: 1..63 chars, `^[a-zA-Z0-9][a-zA-Z0-9\-_]*`; the stage suffix needs room. */
const resourceName = z
  .string()
  .check(
    z.maxLength(40, 'at most 40 characters, so that suffixes keep names within 63'),
    z.regex(/^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/, 'letters, digits, "-" and "_", starting with a letter or digit'),
  );

/** EventBridge Scheduler expressions: `rate(...)`, `cron(...)` or `at(...)`. */
const scheduleExpression = z
  .string()
  .check(z.regex(/^(rate|cron|at)\(.+\)$/, 'an EventBridge Scheduler expression such as "rate(7 days)"'));

const s3Prefix = z
  .string()
  .check(z.regex(/^([A-Za-z0-9!_.*'()-]+\/)+$/, 'an S3 key prefix ending with "/", without a leading "/"'));

/** The events stream's capacity: on demand (scales itself, billed per GB) or a fixed number of shards. */
const eventStreamSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject(
      { mode: z.literal('ON_DEMAND') },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys' ? 'shards apply only with mode PROVISIONED' : undefined,
      },
    ),
    z.strictObject({
      mode: z.literal('PROVISIONED'),
      /** Each shard takes 1 MB/s or 1000 records/s in; 500 is the default account quota in the largest regions. */
      shards: z
        .int({ error: (issue) => (issue.input === undefined ? 'required with mode PROVISIONED' : undefined) })
        .check(z.gte(1, 'at least 1 shard'), z.lte(500, 'at most 500 shards (the default account quota)')),
    }),
  ],
  { error: '"ON_DEMAND", or "PROVISIONED" with shards' },
);

const stringMap = z.record(
  z.string().check(z.minLength(1), z.maxLength(256)),
  z.string().check(z.maxLength(1000)),
);

export const solutionConfigSchema = z.strictObject({
  recipeArn: z
    .string()
    .check(
      z.regex(
        /^arn:aws:personalize:::recipe\/[A-Za-z0-9-]+$/,
        'a recipe ARN: arn:aws:personalize:::recipe/<name>',
      ),
    ),
  /** Train on one event type only (CreateSolution `eventType`). */
  eventType: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  performHpo: z._default(z.boolean(), false),
  /** Explicit on purpose: the API default is true, which trains (and bills) every 7 days. */
  performAutoTraining: z.boolean({ error: 'required: true or false (the API default true bills weekly)' }),
  algorithmHyperParameters: z._default(stringMap, {}),
  featureTransformationParameters: z._default(stringMap, {}),
  campaign: z.strictObject({
    /** Billed per hour while the campaign is ACTIVE, whether or not it serves traffic. */
    minProvisionedTps: z.int().check(z.gte(1), z.lte(500)),
  }),
});

/** A filter expression the local fallback can run too: parsed with its grammar (length limits included). */
const filterExpression = z.string().check(
  z.superRefine((text, ctx) => {
    try {
      parseFilterExpression(text, 'expression');
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      for (const issue of error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
    }
  }),
);

export const filterConfigSchema = z.strictObject({
  name: resourceName,
  expression: filterExpression,
});

/**
 * The keys of GetSolutionMetrics.metrics for the recipes this app trains (personalize-reference.md §4.3),
 * each higher-is-better: a name outside them would fail the training workflow's gate after a billed run.
 */
export const SOLUTION_METRIC_KEYS = [
  'coverage',
  'mean_reciprocal_rank_at_25',
  'normalized_discounted_cumulative_gain_at_5',
  'normalized_discounted_cumulative_gain_at_10',
  'normalized_discounted_cumulative_gain_at_25',
  'precision_at_5',
  'precision_at_10',
  'precision_at_25',
  'average_rewards_at_k',
] as const;

/** CloudWatch Logs retention periods the stacks map to `RetentionDays`. */
export const LOG_RETENTION_DAYS = [7, 14, 30, 90, 180, 365] as const;

export const configSchema = z
  .strictObject({
    /** Prefix of every resource name. */
    project: resourceName,
    stage: z.string().check(z.regex(/^[a-z0-9]{1,10}$/, '1..10 lower-case letters or digits')),
    /** Avro schema files, relative to the repository root. Items and users are optional datasets. */
    schemaFiles: z.strictObject({
      interactions: z.string().check(z.minLength(1)),
      items: z.optional(z.string().check(z.minLength(1))),
      users: z.optional(z.string().check(z.minLength(1))),
    }),
    solutions: z
      .strictObject({
        userPersonalization: z.optional(solutionConfigSchema),
        similarItems: z.optional(solutionConfigSchema),
        personalizedRanking: z.optional(solutionConfigSchema),
      })
      .check(z.refine((s) => Object.values(s).some(Boolean), 'at least one solution must be configured')),
    filters: z.array(filterConfigSchema).check(
      z.maxLength(10, 'Personalize allows at most 10 filters per dataset group'),
      // Each filter becomes a construct named after it: a second one with the same name breaks synth late.
      z.superRefine((filters, ctx) => {
        const firstWithName = new Map<string, number>();
        filters.forEach(({ name }, i) => {
          const first = firstWithName.get(name);
          if (first === undefined) firstWithName.set(name, i);
          else
            ctx.addIssue({
              code: 'custom',
              path: [i, 'name'],
              message: `${JSON.stringify(name)} is already the name of filters.${first}`,
            });
        });
      }),
    ),
    training: z.strictObject({
      /** New data arrives as CSV files under `<importPrefix><batch>/`, followed by a `_READY` marker. */
      importPrefix: s3Prefix,
      importMode: z.enum(['FULL', 'INCREMENTAL']),
      /** Imports `<importPrefix>scheduled/` on this schedule; null disables it. */
      importSchedule: z.nullable(scheduleExpression),
      /** Retrains on the data already imported. */
      retrainSchedule: z.nullable(scheduleExpression),
      /** Where a scheduled retrain rebuilds the local model from; null: the folder of the last import. */
      retrainDataPrefix: z.nullable(s3Prefix),
      /**
       * Largest run, in GiB of CSV (all files of one import folder): sizes the data Lambdas' /tmp, which
       * they copy the files to.
       */
      maxDatasetGiB: z
        .number()
        .check(
          z.positive(),
          z.lte(MAX_DATASET_GIB, `at most ${MAX_DATASET_GIB} (Lambda's /tmp is at most 10 GiB)`),
        ),
      metricGate: z.strictObject({
        /** A key of GetSolutionMetrics.metrics; higher must be better. */
        metricName: z.enum(SOLUTION_METRIC_KEYS, {
          error: `a GetSolutionMetrics key: ${SOLUTION_METRIC_KEYS.join(', ')}`,
        }),
        /** A new version may score this much lower (absolute) than the live one and still be deployed. */
        tolerance: z.number().check(z.gte(0), z.lte(1)),
      }),
      notificationEmail: z.optional(z.email()),
    }),
    batch: z.strictObject({
      /** Runs a batch inference job on `schedule` when enabled. */
      enabled: z.boolean(),
      schedule: scheduleExpression,
      solution: z.enum(['userPersonalization', 'similarItems', 'personalizedRanking']),
      /** Input file under `batch/input/`. */
      inputFile: z.string().check(z.regex(/^[A-Za-z0-9._-]+$/, 'a file name without folders')),
      numResults: z.int().check(z.gte(1), z.lte(500)),
    }),
    serving: z.strictObject({
      throttle: z.strictObject({
        rateLimit: z.number().check(z.positive()),
        burstLimit: z.int().check(z.positive()),
      }),
      /** Requests per day per API key. */
      dailyQuota: z.int().check(z.positive()),
      /** Days an online-store record lives after its last write (DynamoDB TTL). */
      onlineStoreTtlDays: z.int().check(z.gte(1), z.lte(3650)),
      /** Capacity of the events stream `POST /events` writes to. */
      eventStream: eventStreamSchema,
      /** Share of answers served by the local fallback that raises the alarm. */
      fallbackRateAlarm: z.number().check(z.gt(0), z.lte(1)),
      /** The web origin browsers may call the API from (`Access-Control-Allow-Origin`); `*` allows any. */
      allowOrigin: z
        .string()
        .check(
          z.regex(
            /^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)$/,
            '"*" or an origin such as https://shop.example.com',
          ),
        ),
    }),
    logRetentionDays: z.literal(LOG_RETENTION_DAYS, {
      error: `one of ${LOG_RETENTION_DAYS.join(', ')} (days)`,
    }),
    /** RETAIN keeps the data bucket (and its objects) when the stack is deleted; DESTROY empties and deletes it. */
    dataRetention: z.enum(['RETAIN', 'DESTROY']),
    tags: z
      .record(z.string().check(z.minLength(1), z.maxLength(128)), z.string().check(z.maxLength(256)))
      .check(
        // CloudFormation refuses such a tag at deploy; CDK's Tags only warns at synth. Checked on the record,
        // not on its key schema, whose failures zod words only as "Invalid key in record".
        z.superRefine((tags, ctx) => {
          for (const key of Object.keys(tags)) {
            if (/^aws:/i.test(key))
              ctx.addIssue({ code: 'custom', path: [key], message: 'the "aws:" prefix is reserved for AWS' });
          }
        }),
      ),
  })
  .check(
    z.superRefine((config, ctx) => {
      if (config.solutions[config.batch.solution] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['batch', 'solution'],
          message: `${config.batch.solution} is not among the configured solutions`,
        });
      }
    }),
  );

export type AppConfig = z.infer<typeof configSchema>;
export type SolutionKey = keyof AppConfig['solutions'];
export const SOLUTION_KEYS = [
  'userPersonalization',
  'similarItems',
  'personalizedRanking',
] as const satisfies readonly SolutionKey[];
