import { ListDatasetImportJobsCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { effectiveImportMode, hasBulkImport } from '../../src/datasets/bulk-imports.ts';
import { AccessDeniedError } from '../../src/errors.ts';

const personalize = mockClient(PersonalizeClient);
const client = new PersonalizeClient({ region: 'us-east-1' });
const DATASET = 'arn:aws:personalize:us-east-1:1:dataset/g/INTERACTIONS';

describe('Function: hasBulkImport', () => {
  beforeEach(() => personalize.reset());

  it('is false for a dataset whose jobs all failed or none exist', async () => {
    personalize.on(ListDatasetImportJobsCommand).resolves({
      datasetImportJobs: [{ status: 'CREATE FAILED' }, { status: 'CREATE IN_PROGRESS' }],
    });
    await expect(hasBulkImport(client, DATASET)).resolves.toBe(false);
    expect(personalize.commandCalls(ListDatasetImportJobsCommand)[0]!.args[0].input.datasetArn).toBe(DATASET);
  });

  it('finds an ACTIVE job on a later page', async () => {
    personalize
      .on(ListDatasetImportJobsCommand)
      .resolvesOnce({ datasetImportJobs: [{ status: 'CREATE FAILED' }], nextToken: 't' })
      .resolvesOnce({ datasetImportJobs: [{ status: 'ACTIVE' }] });
    await expect(hasBulkImport(client, DATASET)).resolves.toBe(true);
  });

  it('maps a refusal to the typed error naming the action', async () => {
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: {} });
    personalize.on(ListDatasetImportJobsCommand).rejects(denied);
    await expect(hasBulkImport(client, DATASET)).rejects.toThrow(AccessDeniedError);
  });
});

describe('Function: effectiveImportMode', () => {
  it('turns INCREMENTAL into FULL only for the first bulk import', () => {
    expect(effectiveImportMode('INCREMENTAL', false)).toBe('FULL');
    expect(effectiveImportMode('INCREMENTAL', true)).toBe('INCREMENTAL');
    expect(effectiveImportMode('FULL', true)).toBe('FULL');
  });
});
