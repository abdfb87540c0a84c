import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import {
  DescribeSchemaCommand,
  ListDatasetImportJobsCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

const s3 = mockClient(S3Client);
const personalize = mockClient(PersonalizeClient);
const HEADER = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE';

/** The run's folder: the interactions file (streamed), and the `_READY` marker holding `marker` (read as text). */
function serve(csv: string, marker = '{}') {
  s3.on(ListObjectsV2Command).resolves({
    Contents: [{ Key: 'import/b1/interactions.csv' }, { Key: 'import/b1/_READY' }],
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) =>
    input.Key.endsWith('_READY')
      ? { Body: { transformToString: async () => marker } as never }
      : { Body: Readable.from([csv]) as never },
  );
}

const wellFormed = () => {
  // Personalize's training minimum: 1000 interactions, 25 users with at least 2 each.
  const rows = Array.from(
    { length: 1200 },
    (_, i) => `u${i % 60},i${i % 50},${1_700_000_000 + i},click,,web`,
  );
  return `${HEADER}\n${rows.join('\n')}\n`;
};

describe('Lambda: validate-data', () => {
  let handler: typeof import('../../lambdas/workflow/validate-data.ts').handler;

  beforeAll(async () => {
    process.env.BUCKET_NAME = 'bucket';
    process.env.IMPORT_PREFIX = 'import/';
    process.env.IMPORT_MODE = 'FULL';
    process.env.JOB_NAME_PREFIX = 'p-dev-';
    process.env.DATASET_ARNS = JSON.stringify({
      interactions: 'arn:aws:personalize:us-east-1:1:dataset/g/INTERACTIONS',
    });
    process.env.SCHEMA_ARNS = JSON.stringify({ interactions: 'arn:aws:personalize:us-east-1:1:schema/i' });
    ({ handler } = await import('../../lambdas/workflow/validate-data.ts'));
  });

  beforeEach(() => {
    s3.reset();
    personalize.reset();
    // No bulk import yet: the plan keeps the configured FULL mode.
    personalize.on(ListDatasetImportJobsCommand).resolves({ datasetImportJobs: [] });
    personalize.on(DescribeSchemaCommand).resolves({
      schema: { schema: readFileSync(new URL('../../schemas/interactions.json', import.meta.url), 'utf8') },
    });
  });

  it('plans the import of well-formed files next to the marker', async () => {
    serve(wellFormed());

    const outcome = await handler({ objectKey: 'import/b1/_READY' });

    expect(outcome.report.rules.filter((r) => r.severity === 'error')).toEqual([]);
    expect(outcome.valid).toBe(true);
    expect(outcome.imports.map((i) => i.dataLocation)).toEqual(['s3://bucket/import/b1/interactions.csv']);
    expect(s3.commandCalls(ListObjectsV2Command)[0]!.args[0].input).toMatchObject({ Prefix: 'import/b1/' });
  });

  it('imports with the mode the _READY marker asks for over the configured one', async () => {
    personalize.on(ListDatasetImportJobsCommand).resolves({ datasetImportJobs: [{ status: 'ACTIVE' }] });
    serve(wellFormed(), '{"importMode":"INCREMENTAL"}');
    const outcome = await handler({ objectKey: 'import/b1/_READY' });
    expect(outcome.imports.map((i) => i.importMode)).toEqual(['INCREMENTAL']);
    serve(wellFormed());
    expect((await handler({ objectKey: 'import/b1/_READY' })).imports.map((i) => i.importMode)).toEqual([
      'FULL',
    ]);
  });

  it('reports errors, with the validator’s report, when the files break the schema', async () => {
    serve(`${HEADER}\nu1,i1,not-a-time,click,,web\n`);

    const outcome = await handler({ objectKey: 'import/b1/_READY' });

    expect(outcome.valid).toBe(false);
    expect(outcome.report.counts.error).toBeGreaterThan(0);
  });
});
