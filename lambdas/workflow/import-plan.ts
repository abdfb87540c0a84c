import { LATEST_IMPORT_MARKER, readyMarkerImportMode } from '../../src/config/import-layout.ts';
import { effectiveImportMode } from '../../src/datasets/bulk-imports.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { DATASET_TYPES, type DatasetType } from '../../src/schemas/types.ts';

/** What starts a training run: the S3 marker rule, a schedule, or a person (`aws stepfunctions start-execution`). */
export interface WorkflowInput {
  /** Key of the `_READY` marker that fired the S3 rule; its folder holds the CSV files. */
  readonly objectKey?: string;
  /** Folder of the CSV files (schedules and manual runs). */
  readonly importPrefix?: string;
  /** Overrides the deployment's importMode; a `_READY` marker may ask for one too (the input wins). */
  readonly importMode?: 'FULL' | 'INCREMENTAL';
  /** Retrain on the data Personalize already holds; the files are still validated for the local model. */
  readonly skipImport?: boolean;
}

/** Deployment facts the plan needs (from the Lambda's environment). */
export interface PlanSettings {
  readonly importMode: 'FULL' | 'INCREMENTAL';
  /** Job names start with this (IAM scopes DescribeDatasetImportJob to it). */
  readonly jobNamePrefix: string;
  readonly datasetArns: Readonly<Partial<Record<DatasetType, string>>>;
  /**
   * Datasets that already hold a bulk import (an ACTIVE import job). Personalize refuses INCREMENTAL for any
   * other dataset, so those import FULL whatever the configured mode.
   */
  readonly bulkImported: ReadonlySet<DatasetType>;
}

export interface PlannedImport {
  readonly datasetType: DatasetType;
  readonly datasetArn: string;
  readonly dataLocation: string;
  readonly jobName: string;
  readonly importMode: 'FULL' | 'INCREMENTAL';
}

export interface ImportPlan {
  /** Folder of this run's files, ending with "/". */
  readonly dataPrefix: string;
  /** `<dataPrefix><type>.csv` for each dataset whose file is present. */
  readonly files: Readonly<Partial<Record<DatasetType, string>>>;
  readonly imports: readonly PlannedImport[];
}

/**
 * A run the `_READY` marker started takes the import mode the marker asks for (`upload-data --import`), unless
 * the input names one. A retrain-only run that names no folder (the weekly schedule) trains the local model on
 * the folder the last import came from: the workflow records it in `<importPrefix>_LATEST` after every import.
 * `readText` returns an object's text, or undefined when it does not exist.
 */
export async function resolveRunInput(
  input: WorkflowInput,
  importPrefix: string,
  readText: (key: string) => Promise<string | undefined>,
): Promise<WorkflowInput> {
  if (input.objectKey !== undefined) {
    if (input.importMode !== undefined) return input;
    const body = await readText(input.objectKey);
    const importMode = body === undefined ? undefined : readyMarkerImportMode(body, input.objectKey);
    return importMode === undefined ? input : { ...input, importMode };
  }
  if (input.importPrefix !== undefined || input.skipImport !== true) return input;
  const key = `${importPrefix}${LATEST_IMPORT_MARKER}`;
  const latest = (await readText(key))?.trim();
  if (!latest?.endsWith('/'))
    throw new InvalidInputError([
      {
        field: 'importPrefix',
        message: `no import has finished yet (${key} is missing): upload data under ${importPrefix}<batch>/ with a _READY marker first`,
      },
    ]);
  return { ...input, importPrefix: latest };
}

/** The folder of this run: the marker's folder, or the given prefix. */
export function dataPrefixOf(input: WorkflowInput): string {
  if (input.objectKey !== undefined) {
    const slash = input.objectKey.lastIndexOf('/');
    if (slash < 0) throw new InvalidInputError([{ field: 'objectKey', message: 'must be inside a folder' }]);
    return input.objectKey.slice(0, slash + 1);
  }
  if (input.importPrefix?.endsWith('/')) return input.importPrefix;
  throw new InvalidInputError([
    { field: 'importPrefix', message: 'give objectKey or an importPrefix ending with "/"' },
  ]);
}

/**
 * Job names: 1..63 chars of [a-zA-Z0-9-_]; the run time keeps them unique. Synth checks the prefix leaves room
 * (cdk/config/name-limits.ts): cutting the name here would cut the time stamp and make names collide.
 */
function jobName(prefix: string, datasetType: DatasetType, startedAt: Date): string {
  const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const name = `${prefix}${datasetType}-${stamp}`;
  if (name.length > 63)
    throw new InvalidInputError([
      { field: 'jobNamePrefix', message: `makes the import job name '${name}' longer than 63 characters` },
    ]);
  return name;
}

/**
 * Decides which files this run validates and imports. `keys` are the object keys present under the
 * prefix; a dataset without a `<type>.csv` file is left as it is in Personalize.
 */
export function planImport(
  input: WorkflowInput,
  keys: readonly string[],
  settings: PlanSettings,
  bucket: string,
  startedAt: Date,
): ImportPlan {
  const dataPrefix = dataPrefixOf(input);
  const present = new Set(keys);
  const files: Partial<Record<DatasetType, string>> = {};
  for (const type of DATASET_TYPES) {
    const key = `${dataPrefix}${type}.csv`;
    if (present.has(key) && settings.datasetArns[type] !== undefined) files[type] = key;
  }
  if (files.interactions === undefined) {
    throw new InvalidInputError([
      {
        field: 'importPrefix',
        message: `s3://${bucket}/${dataPrefix}interactions.csv is required and missing`,
      },
    ]);
  }
  const importMode = input.importMode ?? settings.importMode;
  const imports =
    input.skipImport === true
      ? []
      : DATASET_TYPES.flatMap((type) => {
          const key = files[type];
          const datasetArn = settings.datasetArns[type];
          if (key === undefined || datasetArn === undefined) return [];
          return [
            {
              datasetType: type,
              datasetArn,
              dataLocation: `s3://${bucket}/${key}`,
              jobName: jobName(settings.jobNamePrefix, type, startedAt),
              importMode: effectiveImportMode(importMode, settings.bulkImported.has(type)),
            },
          ];
        });
  return { dataPrefix, files, imports };
}
