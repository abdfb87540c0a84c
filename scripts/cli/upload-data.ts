import { readStackOutputs, requireOutput } from '../../src/aws/stack-outputs.ts';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { createProgress } from '../../src/cli/progress.ts';
import { STACK_OUTPUTS } from '../../src/config/stack-outputs.ts';
import { renderText, validateDatasets } from '../../src/data-validation/index.ts';
import { uploadDatasets } from '../../src/datasets/dataset-upload.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { DATASET_TYPES, type DatasetType, loadSchema } from '../../src/schemas/index.ts';
import { awsClients } from './aws-clients.ts';
import { JOB_NAME_PREFIX, stamp } from './names.ts';
import { statusPrinter, uploadProgress } from './printers.ts';

export interface UploadFlags {
  readonly interactions: string;
  readonly users?: string;
  readonly items?: string;
  readonly schemas: string;
  readonly stack: string;
  readonly bucket?: string;
  readonly roleArn?: string;
  readonly prefix: string;
  /** Undefined: incremental import jobs, or the deployment's configured mode for the workflow. */
  readonly import?: 'full' | 'incremental';
  readonly trigger: 'jobs' | 'workflow';
  readonly wait?: boolean;
  readonly quiet?: boolean;
}

/** Validates the dataset CSVs (nothing is uploaded when they have errors), uploads them and starts the imports. */
export async function uploadData(flags: UploadFlags): Promise<number> {
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
    throw new InvalidInputError(
      `the data has ${report.counts.error} error(s): see the report on stdout; nothing was uploaded`,
    );
  }
  const aws = awsClients();
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
  const quiet = Boolean(flags.quiet);
  const show = uploadProgress(quiet);
  const printers = new Map(given.map((d) => [d, statusPrinter(`${d} import`, quiet)]));
  const result = await uploadDatasets(aws, {
    files,
    folder,
    trigger: flags.trigger,
    roleArn:
      flags.trigger === 'jobs'
        ? requireOutput(outputs, STACK_OUTPUTS.personalizeRoleArn, flags.stack, flags.roleArn)
        : undefined,
    datasetArns,
    importMode: flags.import === undefined ? undefined : flags.import === 'full' ? 'FULL' : 'INCREMENTAL',
    jobNamePrefix: JOB_NAME_PREFIX,
    wait: Boolean(flags.wait),
    onUpload: (dataset, sent, total) => show(dataset, sent, total),
    onStatus: (dataset, status, elapsed) => printers.get(dataset)?.(status, elapsed),
  });
  for (const [dataset, uri] of Object.entries(result.uploaded))
    process.stdout.write(`uploaded ${dataset}: ${uri}\n`);
  if (result.marker)
    process.stdout.write(`wrote ${result.marker}: the training workflow takes it from here\n`);
  for (const [dataset, arn] of Object.entries(result.importJobArns)) {
    const mode = result.importModes?.[dataset as DatasetType];
    const first =
      flags.import !== 'full' && mode === 'FULL' ? ' (FULL: the dataset had no bulk import yet)' : '';
    process.stdout.write(`${dataset} import job: ${arn}${flags.wait ? ' ACTIVE' : ''}${first}\n`);
  }
  return EXIT_CODES.ok;
}
