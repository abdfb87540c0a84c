/**
 * The CLI's commands and their flags, without their implementations: each action imports its command's module
 * when it runs, so `--help`, usage errors and every other command do not pay for loading the AWS SDK, Parquet
 * or the engine (scripts/bench/cli-start.bench.ts).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { BATCH_LIMITS, BATCH_RECIPES, SEGMENT_RECIPES } from '../../src/batch/jobs/batch-limits.ts';
import { SERVING_ENV } from '../../src/config/lambda-env.ts';
import { STACK_OUTPUTS } from '../../src/config/stack-outputs.ts';
import { DEFAULT_SCHEMA_DIR } from '../../src/schemas/default-dir.ts';
import {
  DEFAULT_STACK,
  filterValuesJson,
  positiveInt,
  positiveIntUpTo,
  type RunCommand,
  sqsQueueUrl,
  threadCount,
} from './options.ts';

/** An action that loads `name` from its module when the command runs, and hands its outcome to `run`. */
function lazy<F, K extends string>(
  run: RunCommand,
  load: () => Promise<Record<K, (flags: F) => Promise<number>>>,
  name: K,
): (flags: F) => void {
  return (flags) => run(load().then((module) => module[name](flags)));
}

const collect = (value: string, previous: readonly string[] = []) => [...previous, value];

/** How many results each input line asks for: items per user or item, or users per segment. */
export interface NumResultsRange {
  readonly max: number;
  readonly default: number;
  readonly help: string;
}

export function addUploadDataCommand(program: Command, run: RunCommand): void {
  program
    .command('upload-data')
    .description('validate dataset CSVs, upload them, and import them (import jobs or the training workflow)')
    .requiredOption('--interactions <csv>', 'interactions CSV')
    .option('--users <csv>', 'users CSV')
    .option('--items <csv>', 'items CSV')
    .option('--schemas <dir>', 'folder with interactions.json, users.json, items.json', DEFAULT_SCHEMA_DIR)
    .option('--stack <name>', 'CloudFormation stack with the bucket, role and dataset outputs', DEFAULT_STACK)
    .option('--bucket <name>', `overrides the stack output ${STACK_OUTPUTS.dataBucketName}`)
    .option('--role-arn <arn>', `overrides the stack output ${STACK_OUTPUTS.personalizeRoleArn}`)
    .option('--prefix <key>', "key prefix of the upload folder (the workflow's import prefix)", 'import/')
    .addOption(
      new Option(
        '--import <mode>',
        "import mode (a dataset's first import is always full); default: incremental for jobs, the deployment's training.importMode for the workflow",
      ).choices(['full', 'incremental']),
    )
    .addOption(
      new Option('--trigger <how>', 'start import jobs here, or write _READY for the training workflow')
        .choices(['jobs', 'workflow'])
        .default('jobs'),
    )
    .option('--wait', 'follow the import jobs until they end')
    .option('--quiet', 'no progress display')
    .action(lazy(run, () => import('./upload-data.ts'), 'uploadData'));
}

export function addBatchInferenceCommand(program: Command, run: RunCommand): void {
  jobOptions(
    program
      .command('batch-inference')
      .description('build the input, run a batch inference job, download (and export) its output')
      .addOption(
        new Option('--recipe <recipe>', 'recipe family of the solution')
          .choices([...BATCH_RECIPES])
          .makeOptionMandatory(),
      )
      .option('--users <csv>', 'CSV with a USER_ID column (users or interactions dataset, or a list)')
      .option(
        '--items <csv>',
        'CSV with an ITEM_ID column (SIMS: items to find similar items for; ranking: items to rank)',
      ),
    {
      max: BATCH_LIMITS.numResults.max,
      default: BATCH_LIMITS.numResults.default,
      help: 'results per input line',
    },
  ).action(lazy(run, () => import('./batch-inference.ts'), 'batchInference'));
}

export function addBatchSegmentCommand(program: Command, run: RunCommand): void {
  jobOptions(
    program
      .command('batch-segment')
      .description(
        'run a batch segment job: users for each item (Item-Affinity) or each attribute query (Item-Attribute-Affinity)',
      )
      .addOption(
        new Option(
          '--recipe <recipe>',
          'USER_SEGMENTATION recipe of the solution (default: from the flags)',
        ).choices([...SEGMENT_RECIPES]),
      )
      .option('--item-ids <csv>', 'CSV with an ITEM_ID column (Item-Affinity, at most 500 items)')
      .option(
        '--attributes <file>',
        'Item-Attribute-Affinity queries, one per line, e.g. ITEMS.GENRES = "comedy" AND ITEMS.COLOR = "red"',
      )
      .option(
        '--item-attributes <query>',
        'one Item-Attribute-Affinity query (repeatable; at most 10 in all)',
        collect,
      ),
    {
      max: BATCH_LIMITS.segmentNumResults.max,
      default: BATCH_LIMITS.segmentNumResults.default,
      help: 'users per segment',
    },
  ).action(lazy(run, () => import('./batch-segment.ts'), 'batchSegment'));
}

export function addExportCommand(program: Command, run: RunCommand): void {
  program
    .command('export')
    .description(
      'batch output JSON lines (file or s3://) → CSV or Parquet; lines with errors go to a separate file',
    )
    .requiredOption('--input <jsonl|s3uri>', 'batch output (<input>.out)')
    .requiredOption('--output <file>', 'file.csv or file.parquet')
    .option('--errors <file>', 'lines set aside (default: <output>.errors.jsonl)')
    .option(
      '--threads <n>',
      'worker threads parsing the input (default 0: this thread; workers pay off on more than 2 cores)',
      threadCount,
    )
    .option('--quiet', 'no progress display')
    .action(lazy(run, () => import('./export.ts'), 'exportOutput'));
}

export function addBatchLocalCommand(program: Command, run: RunCommand): void {
  program
    .command('batch-local')
    .description('Personalize-format batch output from the local model, offline')
    .option('--model <artifact>', 'model file written by HybridModel.serialize()')
    .option('--data <dir>', 'folder with interactions.csv (items.csv, users.csv) to train on first')
    .option('--users <csv>', 'CSV with a USER_ID column (default: every user of the model)')
    .option(
      '--num-results <n>',
      `items per user (1..${BATCH_LIMITS.numResults.max})`,
      positiveIntUpTo(BATCH_LIMITS.numResults.max),
      BATCH_LIMITS.numResults.default,
    )
    .option(
      '--filter-expression <expr>',
      "filter applied to every user, e.g. 'EXCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)'",
    )
    .option('--filter-values <json>', "values of the expression's placeholders", filterValuesJson)
    .requiredOption('--output <file>', 'JSON-lines output')
    .option('--threads <n>', 'worker threads (0 = none)', threadCount)
    .option('--quiet', 'no progress display')
    .action(lazy(run, () => import('./batch-local.ts'), 'batchLocal'));
}

export function addTrainCommand(program: Command, run: RunCommand): void {
  program
    .command('train')
    .description(
      'train the local hybrid model on Personalize CSVs and write the artifact `npm start -- --model` loads',
    )
    .requiredOption('--data <dir>', 'folder with interactions.csv and optional items.csv, users.csv')
    .requiredOption('--out <file>', 'model artifact to write, e.g. model.bin')
    .option('--no-tune', 'skip hyperparameter tuning (faster)')
    .option('--quiet', 'no progress display')
    .action(lazy(run, () => import('./train.ts'), 'trainModel'));
}

/** Adds the flags every batch job takes. */
export function jobOptions(command: Command, numResults: NumResultsRange): Command {
  return command
    .option('--input <jsonl>', 'a ready JSON-lines input instead (checked against the limits)')
    .option(
      '--num-results <n>',
      `${numResults.help} (1..${numResults.max})`,
      positiveIntUpTo(numResults.max),
      numResults.default,
    )
    .option('--filter <arn>', 'filter ARN applied to every line')
    .option('--filter-values <json>', 'placeholder values put on every input line', filterValuesJson)
    .option(
      '--solution-version <arn>',
      'solution version to run (default: newest ACTIVE version of --solution)',
    )
    .option(
      '--solution <arn>',
      "solution whose newest ACTIVE version runs (default: the stack's for the recipe)",
    )
    .option('--stack <name>', 'CloudFormation stack with the outputs (bucket, role, prefixes)', DEFAULT_STACK)
    .option('--role-arn <arn>', `overrides the stack output ${STACK_OUTPUTS.personalizeRoleArn}`)
    .option('--input-prefix <s3uri>', `overrides the stack output ${STACK_OUTPUTS.batchInputPrefix}`)
    .option('--output-prefix <s3uri>', `overrides the stack output ${STACK_OUTPUTS.batchOutputPrefix}`)
    .option('--job-name <name>', 'job name (default: personalize-toolkit-<kind>-<time>)')
    .requiredOption('--output <dir>', 'local folder for the input file and the downloaded <input>.out')
    .option('--export <file>', 'also export the output to .csv or .parquet')
    .option('--errors <file>', 'where --export sets aside lines with errors (default: <export>.errors.jsonl)')
    .option('--quiet', 'no progress display');
}

export interface EventsToInteractionsFlags {
  readonly log: string;
  readonly from: Bound;
  readonly to: Bound;
  readonly out: string;
}

/** A `--from`/`--to` value: a day (YYYY-MM-DD, UTC) or an ISO time, in epoch seconds. */
export interface Bound {
  readonly seconds: number;
  readonly isDay: boolean;
}

export function dateBound(text: string): Bound {
  const isDay = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(isDay ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new InvalidArgumentError('must be a date (YYYY-MM-DD, UTC) or an ISO time (2026-12-01T08:00:00Z)');
  }
  return { seconds: Math.floor(ms / 1000), isDay };
}

export interface ReplayStreamFailuresFlags {
  readonly queueUrl: string;
  readonly featureTable?: string;
  readonly trackingId?: string;
  readonly max?: number;
}

export function addReplayStreamFailuresCommand(program: Command, run: RunCommand): void {
  program
    .command('replay-stream-failures')
    .description(
      're-run the events stream consumer on the batches its on-failure queue names (read back from the stream)',
    )
    .requiredOption(
      '--queue-url <url>',
      `the consumer failure queue (events stack output ${STACK_OUTPUTS.consumerFailureQueueUrl})`,
      sqsQueueUrl,
    )
    .option('--feature-table <name>', `the feature table (default: $${SERVING_ENV.featureTable})`)
    .option('--tracking-id <id>', `the event tracker's tracking id (default: $${SERVING_ENV.trackingId})`)
    .option('--max <n>', 'stop after this many messages', positiveInt)
    .action(lazy(run, () => import('./replay-stream-failures.ts'), 'replayStreamFailuresCommand'));
}

export function addEventsToInteractionsCommand(program: Command, run: RunCommand): void {
  program
    .command('events-to-interactions')
    .description(
      'the event log (npm start --event-log, or the Firehose prefix in S3) of a date range → interactions CSV',
    )
    .requiredOption('--log <dir|s3uri>', 'the event-log folder or s3://bucket/prefix holding dt=YYYY-MM-DD/')
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD, UTC) or ISO time, included', dateBound)
    .requiredOption('--to <date>', 'last day (YYYY-MM-DD, included) or ISO time (excluded)', dateBound)
    .requiredOption('--out <file>', 'the interactions CSV to write (schemas/interactions.json columns)')
    .action(lazy(run, () => import('./events-to-interactions.ts'), 'eventsToInteractions'));
}
