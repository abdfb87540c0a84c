#!/usr/bin/env tsx
/**
 * `npm run cli -- <command> ...` (or the `personalize-toolkit` bin): data upload, batch inference and
 * segment jobs, export of batch output to CSV/Parquet, and offline batch output from the local model.
 * `npm run cli -- help <command>` lists each command's options. Exit codes: see src/batch/exit-code.ts.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { S3Client } from '@aws-sdk/client-s3';
import { Command, InvalidArgumentError, Option } from 'commander';
import { openObject } from '../src/aws/s3-transfer.ts';
import { isS3Uri, parseS3Uri } from '../src/aws/s3-uri.ts';
import { readStackOutputs, requireOutput } from '../src/aws/stack-outputs.ts';
import { checkBatchInputFile, writeBatchInput } from '../src/batch/batch-input.ts';
import { BATCH_LIMITS, BATCH_RECIPES, type BatchRecipe } from '../src/batch/batch-limits.ts';
import { uploadDatasets } from '../src/batch/dataset-upload.ts';
import { EXIT_CODES, exitCodeOf } from '../src/batch/exit-code.ts';
import { exportBatchOutput, formatOf, openLocalInput } from '../src/batch/export.ts';
import { readIdColumn } from '../src/batch/id-column.ts';
import { runBatchJob } from '../src/batch/job-runner.ts';
import { runLocalBatch } from '../src/batch/local-batch.ts';
import { resolveBatchResources } from '../src/batch/resources.ts';
import { createProgress } from '../src/cli/progress.ts';
import { STACK_OUTPUTS } from '../src/config/stack-outputs.ts';
import { InvalidInputError, ToolkitError } from '../src/errors.ts';
import { LocalRecommender } from '../src/local/index.ts';
import { DATASET_TYPES, type DatasetType, DEFAULT_SCHEMA_DIR, loadSchema } from '../src/schemas/index.ts';
import { renderText, validateDatasets } from '../src/validation/index.ts';

/** The data stack of the default deployment (`<project>-<stage>-data`, cdk/lib/app.ts). */
const DEFAULT_STACK = process.env.PERSONALIZE_STACK ?? 'personalize-dev-data';
const JOB_NAME_PREFIX = 'personalize-toolkit-';

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function numResults(text: string): number {
  const n = positiveInt(text);
  if (n > BATCH_LIMITS.numResults.max)
    throw new InvalidArgumentError(`must be at most ${BATCH_LIMITS.numResults.max}`);
  return n;
}

function filterValues(text: string): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError('must be a JSON object, e.g. {"GENRES":"\\"comedy\\""}');
  }
  const entries =
    typeof json === 'object' && json !== null && !Array.isArray(json) ? Object.entries(json) : [];
  if (entries.length === 0 || !entries.every(([, v]) => typeof v === 'string')) {
    throw new InvalidArgumentError('must be a JSON object of strings, e.g. {"GENRES":"\\"comedy\\""}');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Job and run names: unique per second, within Personalize's 63 characters of [a-zA-Z0-9-_]. */
function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}

const formatElapsed = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** Prints each job status change with the time elapsed, on stderr (stdout carries results). */
function statusPrinter(label: string, quiet: boolean): (status: string, elapsedMs: number) => void {
  let last = '';
  return (status, elapsedMs) => {
    if (quiet || status === last) return;
    last = status;
    process.stderr.write(`[${formatElapsed(elapsedMs)}] ${label}: ${status}\n`);
  };
}

function uploadProgress(quiet: boolean) {
  const progress = createProgress({ quiet });
  let started = '';
  return (label: string, sent: number, total: number) => {
    if (started !== label) {
      progress.start(`upload ${label}`, total);
      started = label;
    }
    progress.update(sent);
    if (sent >= total) progress.stop();
  };
}

const clients = () => ({
  s3: new S3Client({}),
  personalize: new PersonalizeClient({}),
  cloudFormation: new CloudFormationClient({}),
});

interface ExportFlags {
  input: string;
  output: string;
  errors?: string;
  threads?: number;
  quiet?: boolean;
}

async function exportCommand(flags: ExportFlags): Promise<number> {
  const format = formatOf(flags.output);
  const input = isS3Uri(flags.input)
    ? await openObject(new S3Client({}), parseS3Uri(flags.input, 'input'))
    : openLocalInput(flags.input);
  const errorsOutput = flags.errors ?? `${flags.output}.errors.jsonl`;
  const progress = createProgress({ quiet: flags.quiet });
  progress.start(`export ${basename(flags.input)}`, 0);
  const summary = await exportBatchOutput({
    input,
    inputName: flags.input,
    output: flags.output,
    format,
    errorsOutput,
    threads: flags.threads,
    onProgress: (bytes) => progress.update(Math.round(bytes / 1e6)),
  });
  progress.stop();
  process.stdout.write(
    `${summary.lines} lines → ${summary.rows} rows in ${flags.output}; ${summary.rejected} lines set aside in ${errorsOutput}` +
      `${summary.rejected > 0 ? ` (${JSON.stringify(summary.rejectedByReason)})` : ''}\n`,
  );
  return EXIT_CODES.ok;
}

interface UploadFlags {
  interactions: string;
  users?: string;
  items?: string;
  schemas: string;
  stack: string;
  bucket?: string;
  roleArn?: string;
  prefix: string;
  import: 'full' | 'incremental';
  trigger: 'jobs' | 'workflow';
  wait?: boolean;
  quiet?: boolean;
}

async function uploadDataCommand(flags: UploadFlags): Promise<number> {
  const files: Partial<Record<DatasetType, string>> = {
    interactions: flags.interactions,
    users: flags.users,
    items: flags.items,
  };
  const given = DATASET_TYPES.filter((d) => files[d] !== undefined);
  const report = await validateDatasets({
    ...files,
    schemas: Object.fromEntries(given.map((d) => [d, loadSchema(d, flags.schemas)])),
    options: { progress: createProgress({ quiet: flags.quiet }) },
  });
  if (!report.ok) {
    process.stdout.write(renderText(report));
    process.stderr.write('upload-data: the data has errors (above); nothing was uploaded\n');
    return EXIT_CODES.invalidInput;
  }
  const aws = clients();
  const needsStack = flags.bucket === undefined || flags.trigger === 'jobs';
  const outputs = needsStack ? await readStackOutputs(aws.cloudFormation, flags.stack) : {};
  const bucket = requireOutput(outputs, STACK_OUTPUTS.dataBucketName, flags.stack, flags.bucket);
  const folder = { bucket, key: `${flags.prefix.replace(/\/?$/, '/')}${stamp()}/` };
  const datasetArns =
    flags.trigger === 'jobs'
      ? Object.fromEntries(
          given.map((d) => [d, requireOutput(outputs, STACK_OUTPUTS[`${d}DatasetArn`], flags.stack)]),
        )
      : undefined;
  const show = uploadProgress(Boolean(flags.quiet));
  const result = await uploadDatasets(aws, {
    files,
    folder,
    trigger: flags.trigger,
    roleArn:
      flags.trigger === 'jobs'
        ? requireOutput(outputs, STACK_OUTPUTS.personalizeRoleArn, flags.stack, flags.roleArn)
        : undefined,
    datasetArns,
    importMode: flags.import === 'full' ? 'FULL' : 'INCREMENTAL',
    jobNamePrefix: JOB_NAME_PREFIX,
    wait: Boolean(flags.wait),
    onUpload: (dataset, sent, total) => show(dataset, sent, total),
    onStatus: (dataset, status, elapsed) =>
      statusPrinter(`${dataset} import`, Boolean(flags.quiet))(status, elapsed),
  });
  for (const [dataset, uri] of Object.entries(result.uploaded))
    process.stdout.write(`uploaded ${dataset}: ${uri}\n`);
  if (result.marker)
    process.stdout.write(`wrote ${result.marker}: the training workflow takes it from here\n`);
  for (const [dataset, arn] of Object.entries(result.importJobArns)) {
    process.stdout.write(`${dataset} import job: ${arn}${flags.wait ? ' ACTIVE' : ''}\n`);
  }
  return EXIT_CODES.ok;
}

interface JobFlags {
  numResults: number;
  filter?: string;
  filterValues?: Record<string, string>;
  solutionVersion?: string;
  solution?: string;
  stack: string;
  roleArn?: string;
  inputPrefix?: string;
  outputPrefix?: string;
  jobName?: string;
  output: string;
  export?: string;
  errors?: string;
  quiet?: boolean;
}

interface InferenceFlags extends JobFlags {
  recipe: BatchRecipe;
  users?: string;
  items?: string;
  input?: string;
}

async function runJobCommand(
  kind: 'inference' | 'segment',
  recipe: BatchRecipe | 'item-affinity',
  flags: JobFlags,
  buildInput: (path: string) => Promise<{ lines: number }>,
  input: string | undefined,
): Promise<number> {
  await mkdir(flags.output, { recursive: true });
  const jobName = flags.jobName ?? `${JOB_NAME_PREFIX}${kind}-${stamp()}`;
  const inputFile = input ?? join(flags.output, `${jobName}.jsonl`);
  const { lines } = input ? await checkBatchInputFile(input, recipe) : await buildInput(inputFile);
  process.stderr.write(`${lines} input lines in ${inputFile}\n`);
  const aws = clients();
  const resources = await resolveBatchResources(aws, flags.stack, recipe, {
    roleArn: flags.roleArn,
    inputPrefix: flags.inputPrefix,
    outputPrefix: flags.outputPrefix,
    solutionVersionArn: flags.solutionVersion,
    solutionArn: flags.solution,
  });
  const show = uploadProgress(Boolean(flags.quiet));
  const result = await runBatchJob(aws, {
    kind,
    jobName,
    inputFile,
    ...resources,
    numResults: flags.numResults,
    filterArn: flags.filter,
    outputDir: flags.output,
    onUpload: (sent, total) => show(basename(inputFile), sent, total),
    onStatus: statusPrinter(`batch ${kind} job ${jobName}`, Boolean(flags.quiet)),
  });
  process.stdout.write(`job ${result.jobArn} ACTIVE; output ${result.output} → ${result.outputFile}\n`);
  if (flags.export) {
    return exportCommand({
      input: result.outputFile,
      output: flags.export,
      errors: flags.errors,
      quiet: flags.quiet,
    });
  }
  return EXIT_CODES.ok;
}

async function batchInferenceCommand(flags: InferenceFlags): Promise<number> {
  const needsUsers = flags.recipe !== 'sims';
  const needsItems = flags.recipe !== 'user-personalization';
  if (!flags.input && ((needsUsers && !flags.users) || (needsItems && !flags.items))) {
    const wanted = [needsUsers && '--users <csv>', needsItems && '--items <csv>']
      .filter(Boolean)
      .join(' and ');
    throw new InvalidInputError([
      { field: 'input', message: `${flags.recipe} needs ${wanted}, or --input <jsonl>` },
    ]);
  }
  return runJobCommand(
    'inference',
    flags.recipe,
    flags,
    async (path) =>
      writeBatchInput(
        {
          recipe: flags.recipe,
          users: needsUsers ? await readIdColumn(flags.users!, 'USER_ID') : undefined,
          items: needsItems ? await readIdColumn(flags.items!, 'ITEM_ID') : undefined,
          filterValues: flags.filterValues,
        },
        path,
      ),
    flags.input,
  );
}

interface SegmentFlags extends JobFlags {
  itemIds?: string;
  input?: string;
}

async function batchSegmentCommand(flags: SegmentFlags): Promise<number> {
  if (!flags.input && !flags.itemIds) {
    throw new InvalidInputError([{ field: 'input', message: 'give --item-ids <csv> or --input <jsonl>' }]);
  }
  return runJobCommand(
    'segment',
    'item-affinity',
    flags,
    async (path) =>
      writeBatchInput(
        {
          recipe: 'item-affinity',
          items: await readIdColumn(flags.itemIds!, 'ITEM_ID'),
          filterValues: flags.filterValues,
        },
        path,
      ),
    flags.input,
  );
}

interface LocalFlags {
  model?: string;
  data?: string;
  users?: string;
  numResults: number;
  output: string;
  threads?: number;
  quiet?: boolean;
}

async function batchLocalCommand(flags: LocalFlags): Promise<number> {
  if ((flags.model === undefined) === (flags.data === undefined)) {
    throw new InvalidInputError([
      { field: 'model', message: 'give exactly one of --model <artifact> or --data <dir>' },
    ]);
  }
  const progress = createProgress({ quiet: flags.quiet });
  let modelPath = flags.model;
  let scratch: string | undefined;
  try {
    if (flags.data !== undefined) {
      // Workers each load the model from a file, so a model trained here is written to a scratch file first.
      const recommender = await LocalRecommender.train(
        {
          interactions: join(flags.data, 'interactions.csv'),
          items: await existing(join(flags.data, 'items.csv')),
          users: await existing(join(flags.data, 'users.csv')),
        },
        { progress },
      );
      scratch = await mkdtemp(join(tmpdir(), 'batch-local-'));
      modelPath = join(scratch, 'model.bin');
      await writeFile(modelPath, recommender.hybridModel.serialize());
    }
    const started = performance.now();
    let barStarted = false;
    const summary = await runLocalBatch({
      modelPath: modelPath!,
      userIds: flags.users ? await readIdColumn(flags.users, 'USER_ID') : undefined,
      numResults: flags.numResults,
      output: flags.output,
      threads: flags.threads,
      onProgress: (done, total) => {
        if (!barStarted) progress.start('batch-local users', total);
        barStarted = true;
        progress.update(done);
      },
    });
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${summary.users} users → ${flags.output} in ${seconds.toFixed(1)} s\n`);
    return EXIT_CODES.ok;
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

async function existing(path: string): Promise<string | undefined> {
  return (await stat(path).catch(() => undefined))?.isFile() ? path : undefined;
}

function jobOptions(command: Command): Command {
  return command
    .option(
      '--num-results <n>',
      'results per input line (1..500)',
      numResults,
      BATCH_LIMITS.numResults.default,
    )
    .option('--filter <arn>', 'filter ARN applied to every line')
    .option('--filter-values <json>', 'placeholder values put on every input line', filterValues)
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

function buildProgram(run: (code: Promise<number>) => void): Command {
  const program = new Command('personalize-toolkit').description(
    'Amazon Personalize data and batch operations, and offline batch output from the local model',
  );
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
      new Option('--import <mode>', 'import mode').choices(['full', 'incremental']).default('incremental'),
    )
    .addOption(
      new Option('--trigger <how>', 'start import jobs here, or write _READY for the training workflow')
        .choices(['jobs', 'workflow'])
        .default('jobs'),
    )
    .option('--wait', 'follow the import jobs until they end')
    .option('--quiet', 'no progress display')
    .action((flags: UploadFlags) => run(uploadDataCommand(flags)));

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
      )
      .option('--input <jsonl>', 'a ready JSON-lines input instead (checked against the limits)'),
  ).action((flags: InferenceFlags) => run(batchInferenceCommand(flags)));

  jobOptions(
    program
      .command('batch-segment')
      .description('run a batch segment job (Item-Affinity: users for each item)')
      .option('--item-ids <csv>', 'CSV with an ITEM_ID column')
      .option('--input <jsonl>', 'a ready JSON-lines input instead (checked against the limits)'),
  ).action((flags: SegmentFlags) => run(batchSegmentCommand(flags)));

  program
    .command('export')
    .description(
      'batch output JSON lines (file or s3://) → CSV or Parquet; lines with errors go to a separate file',
    )
    .requiredOption('--input <jsonl|s3uri>', 'batch output (<input>.out)')
    .requiredOption('--output <file>', 'file.csv or file.parquet')
    .option('--errors <file>', 'lines set aside (default: <output>.errors.jsonl)')
    .option('--threads <n>', 'worker threads (0 = none)', (t) => (t === '0' ? 0 : positiveInt(t)))
    .option('--quiet', 'no progress display')
    .action((flags: ExportFlags) => run(exportCommand(flags)));

  program
    .command('batch-local')
    .description('Personalize-format batch output from the local model, offline')
    .option('--model <artifact>', 'model file written by HybridModel.serialize()')
    .option('--data <dir>', 'folder with interactions.csv (items.csv, users.csv) to train on first')
    .option('--users <csv>', 'CSV with a USER_ID column (default: every user of the model)')
    .option('--num-results <n>', 'items per user (1..500)', numResults, BATCH_LIMITS.numResults.default)
    .requiredOption('--output <file>', 'JSON-lines output')
    .option('--threads <n>', 'worker threads (0 = none)', (t) => (t === '0' ? 0 : positiveInt(t)))
    .option('--quiet', 'no progress display')
    .action((flags: LocalFlags) => run(batchLocalCommand(flags)));
  return program;
}

async function report(code: Promise<number>): Promise<void> {
  try {
    process.exitCode = await code;
  } catch (error) {
    if (!(error instanceof ToolkitError)) throw error;
    process.stderr.write(`personalize-toolkit: ${error.name}: ${error.message}\n`);
    process.exitCode = exitCodeOf(error);
  }
}

let pending: Promise<void> | undefined;
await buildProgram((code) => {
  pending = report(code);
}).parseAsync(process.argv);
await pending;
