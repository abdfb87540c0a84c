import { basename, join } from 'node:path';
import {
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  DescribeBatchInferenceJobCommand,
  DescribeBatchSegmentJobCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import type { S3Client } from '@aws-sdk/client-s3';
import { awsCall } from '../../aws/aws-errors.ts';
import { type JobStatus, type PollOptions, pollJob } from '../../aws/job-poller.ts';
import { downloadFile, uploadFile } from '../../aws/s3-transfer.ts';
import { asFolder, type S3Location, s3Uri } from '../../aws/s3-uri.ts';
import { InvalidInputError, UnavailableError } from '../../errors.ts';
import { BATCH_LIMITS } from './batch-limits.ts';

export interface BatchJobClients {
  readonly s3: S3Client;
  readonly personalize: PersonalizeClient;
}

/** Everything one batch inference or batch segment job needs, resolved from stack outputs and flags. */
export interface BatchJobRequest {
  readonly kind: 'inference' | 'segment';
  readonly jobName: string;
  /** The JSON-lines input, already checked against the limits. */
  readonly inputFile: string;
  readonly solutionVersionArn: string;
  readonly roleArn: string;
  /** Input is uploaded under `<inputPrefix><jobName>/`, output lands in `<outputPrefix><jobName>/`. */
  readonly inputPrefix: S3Location;
  readonly outputPrefix: S3Location;
  /** Items per input line (1..500), or users per segment (1..5,000,000). @default 25 (Personalize's) */
  readonly numResults?: number;
  readonly filterArn?: string;
  /** Local folder the `<input name>.out` file is downloaded into. */
  readonly outputDir: string;
  readonly onUpload?: (sent: number, total: number) => void;
  readonly onStatus?: (status: string, elapsedMs: number) => void;
  /** Polling overrides (tests pass a fake sleep). */
  readonly poll?: Pick<PollOptions, 'initialDelayMs' | 'maxDelayMs' | 'sleep' | 'now'>;
}

export interface BatchJobResult {
  readonly jobArn: string;
  readonly input: string;
  readonly output: string;
  /** The downloaded output file. */
  readonly outputFile: string;
}

const child = (folder: S3Location, name: string): S3Location => {
  const base = asFolder(folder);
  return { bucket: base.bucket, key: `${base.key}${name}` };
};

async function createJob(
  personalize: PersonalizeClient,
  request: BatchJobRequest,
  input: S3Location,
  output: S3Location,
) {
  const common = {
    jobName: request.jobName,
    solutionVersionArn: request.solutionVersionArn,
    roleArn: request.roleArn,
    numResults: request.numResults,
    filterArn: request.filterArn,
    jobInput: { s3DataSource: { path: s3Uri(input) } },
    jobOutput: { s3DataDestination: { path: s3Uri(output) } },
  };
  if (request.kind === 'inference') {
    const reply = await awsCall(
      {
        action: 'personalize:CreateBatchInferenceJob',
        resource: `solution version ${request.solutionVersionArn}`,
      },
      () => personalize.send(new CreateBatchInferenceJobCommand(common)),
    );
    return reply.batchInferenceJobArn;
  }
  const reply = await awsCall(
    {
      action: 'personalize:CreateBatchSegmentJob',
      resource: `solution version ${request.solutionVersionArn}`,
    },
    () => personalize.send(new CreateBatchSegmentJobCommand(common)),
  );
  return reply.batchSegmentJobArn;
}

async function describeJob(
  personalize: PersonalizeClient,
  kind: BatchJobRequest['kind'],
  jobArn: string,
): Promise<JobStatus> {
  const context = {
    action: `personalize:DescribeBatch${kind === 'inference' ? 'Inference' : 'Segment'}Job`,
    resource: jobArn,
  };
  const job = await awsCall(context, async () =>
    kind === 'inference'
      ? (await personalize.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn: jobArn })))
          .batchInferenceJob
      : (await personalize.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: jobArn })))
          .batchSegmentJob,
  );
  return { status: job?.status ?? 'UNKNOWN', failureReason: job?.failureReason };
}

function checkNumResults({ kind, numResults }: BatchJobRequest): void {
  if (numResults === undefined) return;
  const { min, max } = kind === 'inference' ? BATCH_LIMITS.numResults : BATCH_LIMITS.segmentNumResults;
  if (!Number.isInteger(numResults) || numResults < min || numResults > max) {
    const per = kind === 'inference' ? 'items per input line' : 'users per segment';
    throw new InvalidInputError([
      { field: 'numResults', message: `must be an integer of ${min}..${max} ${per}, got ${numResults}` },
    ]);
  }
}

/**
 * Uploads the input, starts the job, follows it with backoff until it ends, and downloads `<input name>.out`.
 * A job that ends CREATE FAILED throws JobFailedError with Personalize's failureReason; a `numResults` out of
 * the kind's range throws InvalidInputError before anything is uploaded.
 */
export async function runBatchJob(
  clients: BatchJobClients,
  request: BatchJobRequest,
): Promise<BatchJobResult> {
  checkNumResults(request);
  const name = basename(request.inputFile);
  const input = child(request.inputPrefix, `${request.jobName}/${name}`);
  const outputFolder = child(request.outputPrefix, `${request.jobName}/`);
  await uploadFile(clients.s3, request.inputFile, input, request.onUpload);
  const jobArn = await createJob(clients.personalize, request, input, outputFolder);
  if (!jobArn) throw new UnavailableError(`Personalize started ${request.jobName} but returned no job ARN`);
  await pollJob({
    label: `batch ${request.kind} job ${jobArn}`,
    describe: () => describeJob(clients.personalize, request.kind, jobArn),
    onStatus: request.onStatus,
    ...request.poll,
  });
  const output = child(outputFolder, `${name}.out`);
  const outputFile = join(request.outputDir, `${name}.out`);
  await downloadFile(clients.s3, output, outputFile);
  return { jobArn, input: s3Uri(input), output: s3Uri(output), outputFile };
}
