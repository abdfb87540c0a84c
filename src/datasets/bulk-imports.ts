import { type PersonalizeClient, paginateListDatasetImportJobs } from '@aws-sdk/client-personalize';
import { awsCall } from '../aws/aws-errors.ts';

export type ImportMode = 'FULL' | 'INCREMENTAL';

/**
 * Whether the dataset already holds a bulk import (an ACTIVE import job): Personalize refuses INCREMENTAL for
 * a dataset that has never had one (personalize-reference.md §1.5, CreateDatasetImportJob).
 */
export async function hasBulkImport(client: PersonalizeClient, datasetArn: string): Promise<boolean> {
  return awsCall(
    { action: 'personalize:ListDatasetImportJobs', resource: `dataset ${datasetArn}` },
    async () => {
      for await (const page of paginateListDatasetImportJobs({ client }, { datasetArn, maxResults: 100 })) {
        if (page.datasetImportJobs?.some((job) => job.status === 'ACTIVE')) return true;
      }
      return false;
    },
  );
}

/** The mode an import can use: the requested one, except FULL for a dataset's first bulk import. */
export function effectiveImportMode(requested: ImportMode, bulkImported: boolean): ImportMode {
  return requested === 'INCREMENTAL' && !bulkImported ? 'FULL' : requested;
}
