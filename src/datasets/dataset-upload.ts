import {
  CreateDatasetImportJobCommand,
  DescribeDatasetImportJobCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { awsCall } from '../aws/aws-errors.ts';
import { type PollOptions, pollJob } from '../aws/job-poller.ts';
import { uploadFile } from '../aws/s3-transfer.ts';
import { type S3Location, s3Uri } from '../aws/s3-uri.ts';
import { READY_MARKER, readyMarkerBody } from '../config/import-layout.ts';
import { ResourceNotFoundError, UnavailableError } from '../errors.ts';
import type { DatasetType } from '../schemas/types.ts';
import { effectiveImportMode, hasBulkImport, type ImportMode } from './bulk-imports.ts';

/** How the data reaches Personalize: import jobs started here, or the training workflow's `_READY` trigger. */
export type ImportTrigger = 'jobs' | 'workflow';

export interface DatasetUploadRequest {
  /** Local CSV per dataset type (already validated). */
  readonly files: Readonly<Partial<Record<DatasetType, string>>>;
  /** The run's folder, e.g. `s3://bucket/import/20261129T0430/`; files land as `<type>.csv`, as the workflow expects. */
  readonly folder: S3Location;
  readonly trigger: ImportTrigger;
  /** For `jobs`: the role Personalize reads the bucket with and the dataset ARNs to import into. */
  readonly roleArn?: string;
  readonly datasetArns?: Readonly<Partial<Record<DatasetType, string>>>;
  /**
   * `jobs`: the jobs' mode; INCREMENTAL turns into FULL for a dataset's first bulk import (Personalize refuses
   * anything else). `workflow`: written into the `_READY` marker, where it overrides the deployment's
   * `training.importMode` for this run; undefined leaves the deployment's.
   * @default 'INCREMENTAL' (jobs)
   */
  readonly importMode?: ImportMode;
  readonly jobNamePrefix: string;
  /** Wait for the import jobs to end. */
  readonly wait: boolean;
  readonly onUpload?: (dataset: DatasetType, sent: number, total: number) => void;
  readonly onStatus?: (dataset: DatasetType, status: string, elapsedMs: number) => void;
  readonly poll?: Pick<PollOptions, 'initialDelayMs' | 'maxDelayMs' | 'sleep' | 'now'>;
}

export interface DatasetUploadResult {
  readonly uploaded: Readonly<Partial<Record<DatasetType, string>>>;
  readonly importJobArns: Readonly<Partial<Record<DatasetType, string>>>;
  /** The mode each import job was started with (see `importMode`). */
  readonly importModes?: Readonly<Partial<Record<DatasetType, ImportMode>>>;
  /** The `_READY` marker written for the workflow trigger. */
  readonly marker?: string;
}

const ORDER: readonly DatasetType[] = ['users', 'items', 'interactions'];

/**
 * Uploads dataset CSVs into one folder, then either starts a dataset import job per file (and optionally
 * follows them to ACTIVE or CREATE FAILED) or writes the `_READY` marker that starts the training workflow.
 */
export async function uploadDatasets(
  clients: { readonly s3: S3Client; readonly personalize: PersonalizeClient },
  request: DatasetUploadRequest,
): Promise<DatasetUploadResult> {
  const given = ORDER.filter((d) => request.files[d] !== undefined);
  const uploaded: Partial<Record<DatasetType, string>> = {};
  for (const dataset of given) {
    const target = { bucket: request.folder.bucket, key: `${request.folder.key}${dataset}.csv` };
    await uploadFile(clients.s3, request.files[dataset]!, target, (sent, total) =>
      request.onUpload?.(dataset, sent, total),
    );
    uploaded[dataset] = s3Uri(target);
  }
  if (request.trigger === 'workflow') {
    const marker = { bucket: request.folder.bucket, key: `${request.folder.key}${READY_MARKER}` };
    const body = readyMarkerBody(request.importMode);
    await awsCall({ action: 's3:PutObject', resource: `bucket ${marker.bucket} (${s3Uri(marker)})` }, () =>
      clients.s3.send(
        new PutObjectCommand({
          Bucket: marker.bucket,
          Key: marker.key,
          Body: body,
          ContentLength: Buffer.byteLength(body),
          ContentType: 'application/json',
        }),
      ),
    );
    return { uploaded, importJobArns: {}, marker: s3Uri(marker) };
  }

  const importJobArns: Partial<Record<DatasetType, string>> = {};
  const importModes: Partial<Record<DatasetType, ImportMode>> = {};
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  for (const dataset of given) {
    const datasetArn = request.datasetArns?.[dataset];
    if (!datasetArn)
      throw new ResourceNotFoundError(`no dataset ARN for ${dataset}: the stack must export it`);
    const wanted = request.importMode ?? 'INCREMENTAL';
    const importMode =
      wanted === 'FULL'
        ? 'FULL'
        : effectiveImportMode(wanted, await hasBulkImport(clients.personalize, datasetArn));
    importModes[dataset] = importMode;
    const reply = await awsCall(
      { action: 'personalize:CreateDatasetImportJob', resource: `dataset ${datasetArn}` },
      () =>
        clients.personalize.send(
          new CreateDatasetImportJobCommand({
            jobName: `${request.jobNamePrefix}${dataset}-${stamp}`.slice(0, 63),
            datasetArn,
            roleArn: request.roleArn,
            dataSource: { dataLocation: uploaded[dataset] },
            importMode,
          }),
        ),
    );
    if (!reply.datasetImportJobArn)
      throw new UnavailableError(`Personalize returned no import job ARN for ${dataset}`);
    importJobArns[dataset] = reply.datasetImportJobArn;
  }
  if (request.wait) {
    // Import jobs of one dataset group run in parallel; follow them together.
    await Promise.all(
      given.map((dataset) => {
        const jobArn = importJobArns[dataset]!;
        return pollJob({
          label: `${dataset} import job ${jobArn}`,
          describe: async () => {
            const reply = await awsCall(
              { action: 'personalize:DescribeDatasetImportJob', resource: jobArn },
              () =>
                clients.personalize.send(
                  new DescribeDatasetImportJobCommand({ datasetImportJobArn: jobArn }),
                ),
            );
            const job = reply.datasetImportJob;
            return { status: job?.status ?? 'UNKNOWN', failureReason: job?.failureReason };
          },
          onStatus: (status, elapsed) => request.onStatus?.(dataset, status, elapsed),
          ...request.poll,
        });
      }),
    );
  }
  return { uploaded, importJobArns, importModes };
}
