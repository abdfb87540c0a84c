/**
 * The CLI as a real process against moto_server (an AWS emulator): CloudFormation outputs, multipart upload
 * to S3, the workflow's `_READY` marker, and export of batch output read from S3.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { STACK_OUTPUTS } from '../../src/config/stack-outputs.ts';
import { type MotoServer, startMotoServer } from '../helpers/moto-server.ts';
import { runScript } from '../helpers/run-script.ts';

const STACK = 'e2e-data';
/** lib-storage sends files larger than its 16 MiB part size in parts: ~36 bytes a row makes ~18 MB. */
const MULTIPART_INTERACTIONS = 500_000;
const DATASETS = ['interactions', 'users', 'items'] as const;

/** The data stack's bucket and its outputs, as the CDK data stack exports them. */
const TEMPLATE = JSON.stringify({
  Resources: { DataBucket: { Type: 'AWS::S3::Bucket' } },
  Outputs: { [STACK_OUTPUTS.dataBucketName]: { Value: { Ref: 'DataBucket' } } },
});

let moto: MotoServer;
let s3: S3Client;
let dir: string;
let bucket: string;

const cli = (...args: string[]) => runScript('cli', ...args, { env: moto.env });
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function objectBytes(key: string): Promise<Uint8Array> {
  const reply = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return reply.Body!.transformToByteArray();
}

async function keysUnder(prefix: string): Promise<string[]> {
  const reply = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (reply.Contents ?? []).map((o) => o.Key!).sort();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-moto-'));
  const [server, generated] = await Promise.all([
    startMotoServer(),
    runScript('generate-data', '--out', dir, '--interactions', String(MULTIPART_INTERACTIONS), '--quiet'),
  ]);
  moto = server;
  expect(generated).toMatchObject({ code: 0, stderr: '' });
  s3 = new S3Client(moto.clientConfig);
  const cloudFormation = new CloudFormationClient(moto.clientConfig);
  await cloudFormation.send(new CreateStackCommand({ StackName: STACK, TemplateBody: TEMPLATE }));
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: STACK }));
  bucket = Stacks![0]!.Outputs!.find((o) => o.OutputKey === STACK_OUTPUTS.dataBucketName)!.OutputValue!;
});

afterAll(async () => {
  s3?.destroy();
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('upload-data against moto', () => {
  it('uploads the validated CSVs to the stack bucket, multipart when large, then writes _READY', async () => {
    const { code, stdout, stderr } = await cli(
      'upload-data',
      ...DATASETS.flatMap((d) => [`--${d}`, join(dir, `${d}.csv`)]),
      '--stack',
      STACK,
      '--trigger',
      'workflow',
      '--quiet',
    );
    expect(stderr).not.toMatch(/personalize-toolkit:/);
    expect(code).toBe(EXIT_CODES.ok);

    const keys = await keysUnder('import/');
    const folder = /^import\/\d{8}T\d{6}\//.exec(keys[0] ?? '')?.[0];
    expect(folder).toBeDefined();
    expect(keys).toEqual([`${folder}_READY`, ...DATASETS.map((d) => `${folder}${d}.csv`).sort()]);
    expect(stdout).toContain(`wrote s3://${bucket}/${folder}_READY`);
    // Without --import the run keeps the deployment's configured training.importMode.
    expect(Buffer.from(await objectBytes(`${folder}_READY`)).toString()).toBe('{}');
    for (const dataset of DATASETS) {
      const local = await readFile(join(dir, `${dataset}.csv`));
      expect(sha256(await objectBytes(`${folder}${dataset}.csv`)), dataset).toBe(sha256(local));
    }
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `${folder}interactions.csv` }));
    // A multipart object's ETag ends in `-<part count>`.
    expect(head.ETag).toMatch(/-2"$/);
    expect(head.ContentLength).toBeGreaterThan(16 * 1024 * 1024);
  });

  it('carries --import in the _READY marker for the workflow run', async () => {
    const rows = (await readFile(join(dir, 'interactions.csv'), 'utf8')).split('\n').slice(0, 3001);
    const small = join(dir, 'small-interactions.csv');
    await writeFile(small, `${rows.join('\n')}\n`);

    const { code } = await cli(
      'upload-data',
      '--interactions',
      small,
      '--stack',
      STACK,
      '--prefix',
      'full/',
      '--trigger',
      'workflow',
      '--import',
      'full',
      '--quiet',
    );

    expect(code).toBe(EXIT_CODES.ok);
    const marker = (await keysUnder('full/')).find((key) => key.endsWith('_READY'))!;
    expect(JSON.parse(Buffer.from(await objectBytes(marker)).toString())).toEqual({ importMode: 'FULL' });
  });

  it('stops before uploading anything when a CSV has an error, naming the file, row and column', async () => {
    const rows = (await readFile(join(dir, 'interactions.csv'), 'utf8')).split('\n').slice(0, 3001);
    rows[1499] = rows[1499]!.replace(/,\d+,/, ',yesterday,');
    const bad = join(dir, 'bad-interactions.csv');
    await writeFile(bad, `${rows.join('\n')}\n`);

    const { code, stdout, stderr } = await cli(
      'upload-data',
      '--interactions',
      bad,
      '--users',
      join(dir, 'users.csv'),
      '--stack',
      STACK,
      '--prefix',
      'rejected/',
      '--trigger',
      'workflow',
      '--quiet',
    );
    expect(code).toBe(EXIT_CODES.invalidInput);
    expect(stdout).toContain(`${bad}:1500:3  TIMESTAMP "yesterday" is not a long`);
    expect(stderr).toContain('nothing was uploaded');
    expect(await keysUnder('rejected/')).toEqual([]);
  });

  it('exits with the not-found code and names a stack that does not exist', async () => {
    const { code, stderr } = await cli(
      'upload-data',
      '--interactions',
      join(dir, 'interactions.csv'),
      '--stack',
      'nope',
      '--trigger',
      'workflow',
      '--quiet',
    );
    expect(code).toBe(EXIT_CODES.notFound);
    expect(stderr).toContain(
      'personalize-toolkit: ResourceNotFoundError: stack nope does not exist (deploy it, or pass --stack)',
    );
  });
});

describe('export against moto', () => {
  const line = (userId: string, items: string[], scores: number[]) =>
    JSON.stringify({ input: { userId }, output: { recommendedItems: items, scores }, error: null });
  const KEY = 'batch/output/users.json.out';

  beforeAll(async () => {
    const body = [
      line('u1', ['i1', 'i2'], [0.9, 0.5]),
      '{"input":{"userId":"u2"},"output":null,"error":"User not found"}',
      line('u3', ['i3'], [0.25]),
      '',
    ].join('\n');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: KEY, Body: body }));
  });

  async function exportTo(file: string) {
    const output = join(dir, file);
    const result = await cli('export', '--input', `s3://${bucket}/${KEY}`, '--output', output, '--quiet');
    expect(result.stderr).not.toMatch(/personalize-toolkit:/);
    expect(result.code).toBe(EXIT_CODES.ok);
    expect(result.stdout).toContain(`3 lines → 3 rows in ${output}; 1 lines set aside`);
    const errors = (await readFile(`${output}.errors.jsonl`, 'utf8')).trim().split('\n');
    expect(errors.map((e) => JSON.parse(e))).toEqual([
      expect.objectContaining({ line: 2, reason: 'job error: User not found' }),
    ]);
    return output;
  }

  it('writes Parquet rows from an S3 object and sets the error line aside', async () => {
    const bytes = await readFile(await exportTo('users.parquet'));
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    expect(await parquetReadObjects({ file })).toEqual([
      { USER_ID: 'u1', RANK: 1, ITEM_ID: 'i1', SCORE: 0.9 },
      { USER_ID: 'u1', RANK: 2, ITEM_ID: 'i2', SCORE: 0.5 },
      { USER_ID: 'u3', RANK: 1, ITEM_ID: 'i3', SCORE: 0.25 },
    ]);
  });

  it('writes CSV rows from an S3 object and sets the error line aside', async () => {
    expect(await readFile(await exportTo('users.csv'), 'utf8')).toBe(
      ['USER_ID,RANK,ITEM_ID,SCORE', 'u1,1,i1,0.9', 'u1,2,i2,0.5', 'u3,1,i3,0.25', ''].join('\n'),
    );
  });
});
