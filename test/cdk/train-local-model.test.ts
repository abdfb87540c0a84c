import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { DescribeSchemaCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/local/index.ts';

const s3 = mockClient(S3Client);
const personalize = mockClient(PersonalizeClient);

/** 40 users, each with 6 of 25 items in a rotating pattern: enough structure for the hybrid to fit. */
function interactionsCsv(): string {
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE'];
  for (let u = 0; u < 40; u++) {
    for (let k = 0; k < 6; k++)
      rows.push(`u${u},i${(u + k * 3) % 25},${1_700_000_000 + u * 100 + k},click,,mobile`);
  }
  return `${rows.join('\n')}\n`;
}

describe('Lambda: train-local-model', () => {
  let handler: typeof import('../../lambdas/workflow/train-local-model.ts').handler;

  beforeAll(async () => {
    process.env.BUCKET_NAME = 'bucket';
    process.env.MODEL_ARTIFACT_KEY = 'models/local/model.bin';
    process.env.SCHEMA_ARNS = JSON.stringify({ interactions: 'arn:aws:personalize:us-east-1:1:schema/i' });
    ({ handler } = await import('../../lambdas/workflow/train-local-model.ts'));
  });

  it('trains on the run’s files from S3 and stores a model the recommend path can load', async () => {
    // Prepare
    // The handler only pipes Body to a file, so a plain Node stream stands in for the SDK's stream.
    s3.on(GetObjectCommand, { Bucket: 'bucket', Key: 'import/b1/interactions.csv' }).callsFake(() => ({
      Body: Readable.from([interactionsCsv()]) as never,
    }));
    s3.on(PutObjectCommand).resolves({});
    personalize.on(DescribeSchemaCommand).resolves({
      schema: { schema: readFileSync(new URL('../../schemas/interactions.json', import.meta.url), 'utf8') },
    });

    // Act
    const output = await handler({
      dataPrefix: 'import/b1/',
      files: { interactions: 'import/b1/interactions.csv' },
    });

    // Assess
    expect(output).toMatchObject({ artifactUri: 's3://bucket/models/local/model.bin', users: 40, items: 25 });
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ Bucket: 'bucket', Key: 'models/local/model.bin' });
    const model = loadModel(put.Body as Uint8Array);
    expect(model.items.ids).toHaveLength(25);
    expect(output.bytes).toBe((put.Body as Uint8Array).byteLength);
  });
});
