import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dispatchControlPlane,
  type LocalPersonalize,
  OPERATIONS,
  openLocalPersonalize,
} from '../../src/local-personalize/index.ts';
import { DEFAULT_SCHEMA_DIR } from '../../src/schemas/index.ts';

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path, base) : [relative(base, path)];
  });
}

const ARN_PREFIX = 'arn:aws:personalize:us-east-1:000000000000:';
/** Mostly a plausible value, sometimes a bad one, sometimes absent: enough valid calls to reach deep paths. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { arbitrary: good, weight: 6 },
    { arbitrary: bad, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
const names = mostly(
  fc.constantFrom('a', 'dg', 'shop', 'x-1', 'job_2', 'b2'),
  fc.constantFrom('..', '../x', '%2e%2e', '', 'a'.repeat(64), 'a/b'),
);
const arns = mostly(
  fc.oneof(
    fc
      .constantFrom('dataset/dg/INTERACTIONS', 'dataset-group/dg', 'schema/a')
      .map((r) => `${ARN_PREFIX}${r}`),
    fc
      .tuple(
        fc.constantFrom(
          'dataset-group/',
          'schema/',
          'dataset/',
          'solution/',
          'campaign/',
          'filter/',
          'event-tracker/',
        ),
        fc.constantFrom('a', 'dg', 'shop', 'x-1', '..'),
        fc.constantFrom('', '/INTERACTIONS', '/ITEMS', '/$LATEST', '/0a1b2c3d'),
      )
      .map(([type, name, suffix]) => `${ARN_PREFIX}${type}${name}${suffix}`),
  ),
  fc.string(),
);
const s3Paths = mostly(
  fc
    .tuple(
      fc.constantFrom('bucket', 'b', '..', 'a..b', 'BUCKET', 'box'),
      fc.array(fc.constantFrom('data', '..', '.', '', '%2F', '%2e%2e', 'x.csv', '\\..', '/etc', '~'), {
        maxLength: 5,
      }),
    )
    .map(([bucket, parts]) => `s3://${bucket}/${parts.join('/')}`),
  fc.string(),
);
const bodies = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  {
    arbitrary: fc.record({
      name: names,
      jobName: names,
      datasetGroupArn: arns,
      datasetArn: arns,
      schemaArn: arns,
      solutionArn: arns,
      solutionVersionArn: arns,
      campaignArn: arns,
      filterArn: arns,
      resourceArn: arns,
      recipeArn: mostly(
        fc
          .constantFrom('aws-sims', 'aws-item-affinity', 'aws-item-attribute-affinity')
          .map((recipe) => `arn:aws:personalize:::recipe/${recipe}`),
        fc.string(),
      ),
      numResults: mostly(fc.integer({ min: 1, max: 5_000_000 }), fc.oneof(fc.integer(), fc.double())),
      datasetType: mostly(
        fc.constantFrom('Interactions', 'ITEMS', 'users'),
        fc.constantFrom('Actions', 'x', 3),
      ),
      schema: mostly(
        fc.constant(readFileSync(join(DEFAULT_SCHEMA_DIR, 'items.json'), 'utf8')),
        fc.constantFrom('{}', 'not json', '{"type":"record","name":"Interactions","fields":[]}'),
      ),
      dataSource: mostly(fc.record({ dataLocation: s3Paths }), fc.jsonValue()),
      jobInput: mostly(fc.record({ s3DataSource: fc.record({ path: s3Paths }) }), fc.jsonValue()),
      jobOutput: mostly(fc.record({ s3DataDestination: fc.record({ path: s3Paths }) }), fc.jsonValue()),
      roleArn: mostly(fc.constant('arn:aws:iam::000000000000:role/r'), fc.string()),
      importMode: mostly(fc.constantFrom('FULL', 'INCREMENTAL'), fc.string()),
      filterExpression: mostly(
        fc.constant('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'),
        fc.string({ maxLength: 3000 }),
      ),
      maxResults: mostly(fc.integer({ min: 1, max: 100 }), fc.oneof(fc.integer(), fc.double())),
      nextToken: mostly(fc.constant(undefined), fc.string()),
      tags: mostly(
        fc.array(fc.record({ tagKey: fc.constantFrom('team', 'env'), tagValue: fc.constantFrom('a', '') })),
        fc.array(fc.record({ tagKey: fc.string(), tagValue: fc.string() }), { maxLength: 3 }),
      ),
      tagKeys: mostly(fc.array(fc.constantFrom('team', 'env')), fc.jsonValue()),
    }),
    weight: 6,
  },
);
const targets = fc.oneof(
  fc.constantFrom(...Object.keys(OPERATIONS)).map((op) => `AmazonPersonalize.${op}`),
  fc.string().map((s) => `AmazonPersonalize.${s}`),
  fc.string(),
);

describe('Local Personalize: fuzzed requests', () => {
  let root: string;
  let plane: LocalPersonalize;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'lp-fuzz-'));
    mkdirSync(join(root, 'box', 's3', 'bucket', 'data'), { recursive: true });
    writeFileSync(join(root, 'box', 's3', 'bucket', 'data', 'x.csv'), 'USER_ID,ITEM_ID,TIMESTAMP\nu,i,1\n');
    writeFileSync(join(root, 'secret.csv'), 'USER_ID,ITEM_ID,TIMESTAMP\nu,i,1\n');
    plane = await openLocalPersonalize({
      stateDir: join(root, 'box', 'state'),
      s3Dir: join(root, 'box', 's3'),
      trainInWorker: false,
    });
    // A dataset that takes imports, so fuzzed locations reach the S3 folder mapping.
    await plane.call('CreateDatasetGroup', { name: 'dg' });
    await plane.call('CreateSchema', {
      name: 'a',
      schema: readFileSync(join(DEFAULT_SCHEMA_DIR, 'interactions.json'), 'utf8'),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await plane.call('CreateDataset', {
      name: 'shop',
      datasetGroupArn: `${ARN_PREFIX}dataset-group/dg`,
      schemaArn: `${ARN_PREFIX}schema/a`,
      datasetType: 'Interactions',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('never answers 5xx and never writes outside the state and S3 folders', async () => {
    await fc.assert(
      fc.asyncProperty(targets, bodies, async (target, body) => {
        const reply = await dispatchControlPlane(plane, target, JSON.stringify(body));
        expect(reply.status === 200 || reply.status === 400).toBe(true);
        const parsed = JSON.parse(reply.body);
        if (reply.status === 400) expect(parsed.__type).toMatch(/^com\.amazonaws\.personalize#\w+Exception$/);
      }),
      { numRuns: 1500, seed: 20_261_202 },
    );
    await plane.close();
    const outside = filesUnder(root).filter(
      (f) => !f.startsWith(join('box', 'state')) && !f.startsWith(join('box', 's3')),
    );
    expect(outside).toEqual(['secret.csv']);
  });
});
