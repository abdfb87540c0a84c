import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBatchSegmentJobCommand, DescribeBatchSegmentJobCommand } from '@aws-sdk/client-personalize';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { objectBody } from '../batch/aws-mocks.ts';
import { batchJobClients, cli, jobResources } from './batch-job-harness.ts';

const { s3, personalize } = batchJobClients();
let dir: string;

/** Flags that resolve every resource without CloudFormation. */
const resources = () => jobResources(dir, 'seg');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-segment-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('batch-segment', () => {
  it('runs Item-Attribute-Affinity queries from a file and a flag, and exports the segments', async () => {
    // Prepare
    const comedy = 'ITEMS.GENRES = "comedy" AND ITEMS.PRICE = "10"';
    await writeFile(join(dir, 'attributes.txt'), `${comedy}\n\nITEMS.COLOR = "red"\n`);
    const output = [
      { itemAttributes: comedy, output: { recommendedUsers: ['u1', 'u2'] } },
      { itemAttributes: 'ITEMS.COLOR = "red"', output: { recommendedUsers: ['u3'] } },
      { itemAttributes: 'ITEMS.GENRES = "drama"', output: { recommendedUsers: ['u2', 'u4', 'u5'] } },
    ];
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand, { Bucket: 'data', Key: 'batch/output/seg/seg.jsonl.out' }).resolves({
      Body: objectBody(output.map((l) => `${JSON.stringify(l)}\n`).join('')),
    });
    personalize.on(CreateBatchSegmentJobCommand).resolves({ batchSegmentJobArn: 'arn:job/seg' });
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'ACTIVE' } });

    // Act
    const code = await cli(
      'batch-segment',
      '--attributes',
      join(dir, 'attributes.txt'),
      '--item-attributes',
      'ITEMS.GENRES = "drama"',
      '--num-results',
      '100000',
      '--export',
      join(dir, 'segments.csv'),
      ...resources(),
    );

    // Assess
    expect(code).toBe(EXIT_CODES.ok);
    const input = (await readFile(join(dir, 'job', 'seg.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(input).toEqual([
      { itemAttributes: comedy },
      { itemAttributes: 'ITEMS.COLOR = "red"' },
      { itemAttributes: 'ITEMS.GENRES = "drama"' },
    ]);
    expect(personalize.commandCalls(CreateBatchSegmentJobCommand)[0]!.args[0].input).toMatchObject({
      numResults: 100_000,
      solutionVersionArn: 'arn:aws:personalize:us-east-1:1:solution/seg/v1',
    });
    const csv = await readFile(join(dir, 'segments.csv'), 'utf8');
    expect(csv.trim().split('\n')).toEqual([
      'ITEM_ATTRIBUTES,RANK,USER_ID,SCORE',
      '"ITEMS.GENRES = ""comedy"" AND ITEMS.PRICE = ""10""",1,u1,',
      '"ITEMS.GENRES = ""comedy"" AND ITEMS.PRICE = ""10""",2,u2,',
      '"ITEMS.COLOR = ""red""",1,u3,',
      '"ITEMS.GENRES = ""drama""",1,u2,',
      '"ITEMS.GENRES = ""drama""",2,u4,',
      '"ITEMS.GENRES = ""drama""",3,u5,',
    ]);
  });

  it('runs Item-Affinity on the ids of --item-ids, and checks a ready --input for the recipe given', async () => {
    await writeFile(join(dir, 'items.csv'), 'ITEM_ID,GENRES\ni1,comedy\ni2,drama\ni1,comedy\n');
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand).resolves({
      Body: objectBody('{"input":{"itemId":"i1"},"output":{"recommendedUsers":["u1"]}}\n'),
    });
    personalize.on(CreateBatchSegmentJobCommand).resolves({ batchSegmentJobArn: 'arn:job/seg' });
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'ACTIVE' } });

    expect(await cli('batch-segment', '--item-ids', join(dir, 'items.csv'), ...resources())).toBe(
      EXIT_CODES.ok,
    );
    expect(await readFile(join(dir, 'job', 'seg.jsonl'), 'utf8')).toBe('{"itemId":"i1"}\n{"itemId":"i2"}\n');

    await writeFile(join(dir, 'ready.jsonl'), '{"itemId":"i1"}\n');
    await expect(
      cli(
        'batch-segment',
        '--recipe',
        'item-attribute-affinity',
        '--input',
        join(dir, 'ready.jsonl'),
        ...resources(),
      ),
    ).rejects.toThrow(/^line 1\.itemAttributes: is required for item-attribute-affinity/);
  });

  it('names the file line of a query outside the grammar, before any AWS call', async () => {
    const path = join(dir, 'bad.txt');
    await writeFile(path, 'ITEMS.GENRES = "comedy"\n\nITEMS.GENRES IN ("drama")\nGENRES = "x"\n');
    const run = cli('batch-segment', '--attributes', path, ...resources());
    await expect(run).rejects.toThrow(InvalidInputError);
    await expect(run).rejects.toThrow(
      `${path} line 3: at character 13: only = compares a column with a value (queries look like ITEMS.GENRES = "comedy" AND ITEMS.COLOR = "red"); ` +
        `${path} line 4: at character 0: expected ITEMS.<column>`,
    );
    expect(s3.calls()).toHaveLength(0);
    expect(personalize.calls()).toHaveLength(0);
  });

  it('holds Item-Attribute-Affinity to 10 queries per input file', async () => {
    const flags = Array.from({ length: 11 }, (_, i) => [
      '--item-attributes',
      `ITEMS.GENRES = "g${i}"`,
    ]).flat();
    await expect(cli('batch-segment', ...flags, ...resources())).rejects.toThrow(
      'itemAttributes: 11 queries given; Item-Attribute-Affinity takes 1..10 per input file',
    );
    await expect(
      cli('batch-segment', '--item-attributes', 'ITEMS.GENRES = "g" OR ITEMS.GENRES = "h"', ...resources()),
    ).rejects.toThrow(/^--item-attributes #1: at character 19: only AND joins conditions/);
  });

  it('refuses an --export that is neither .csv nor .parquet before any AWS call, naming --export', async () => {
    const run = cli(
      'batch-segment',
      '--item-attributes',
      'ITEMS.GENRES = "drama"',
      '--export',
      join(dir, 'segments.json'),
      ...resources(),
    );
    await expect(run).rejects.toThrow(InvalidInputError);
    await expect(run).rejects.toThrow(/^--export: must end in \.csv or \.parquet, got .*segments\.json$/);
    expect(s3.calls()).toHaveLength(0);
    expect(personalize.calls()).toHaveLength(0);
  });

  it('asks for exactly one source that fits the recipe', async () => {
    await expect(cli('batch-segment', ...resources())).rejects.toThrow(/^input: give --item-ids <csv>/);
    await expect(
      cli('batch-segment', '--item-ids', 'a.csv', '--item-attributes', 'ITEMS.A = "b"', ...resources()),
    ).rejects.toThrow(/: only one of them$/);
    await expect(
      cli('batch-segment', '--recipe', 'item-affinity', '--item-attributes', 'ITEMS.A = "b"', ...resources()),
    ).rejects.toThrow(/^recipe: item-affinity takes --item-ids; item-attribute-affinity takes --attributes/);
  });
});
