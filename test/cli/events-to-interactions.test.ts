import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { StreamingBlobPayloadOutputTypes } from '@smithy/types';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventsToInteractions } from '../../scripts/cli/events-to-interactions.ts';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { validateDatasets } from '../../src/data-validation/index.ts';
import { EventLogWriter, toEventLogRecords } from '../../src/event-log/index.ts';
import { loadSchemas } from '../../src/schemas/index.ts';
import { runScript } from '../helpers/run-script.ts';

const DAY = 86_400;
const T0 = 1_796_083_200; // 2026-12-01T00:00Z
const at = (seconds: number) => new Date(seconds * 1000);
const s3 = mockClient(S3Client);

let root: string;
let logDir: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'events-to-interactions-'));
  logDir = join(root, 'event-log');
  const writer = new EventLogWriter({ dir: logDir });
  // 40 users × 30 events on 2026-12-01, plus one day later that a one-day range leaves out.
  for (let u = 0; u < 40; u++) {
    const events = Array.from({ length: 30 }, (_, k) => ({
      eventType: k % 3 === 0 ? 'purchase' : 'click',
      itemId: `i${(u + k) % 50}`,
      sentAt: at(T0 + u * 100 + k),
    }));
    await writer.write(toEventLogRecords({ sessionId: `s${u}`, userId: `u${u}`, events }, at(T0 + 3600)));
  }
  await writer.write(
    toEventLogRecords(
      {
        sessionId: 'late',
        userId: 'u1',
        events: [{ eventType: 'click', itemId: 'i1', sentAt: at(T0 + DAY + 5) }],
      },
      at(T0 + DAY + 5),
    ),
  );
  await writer.close();
});
afterAll(() => rm(root, { recursive: true, force: true }));
beforeEach(() => s3.reset());

const flags = (log: string, out: string) => ({
  log,
  from: { seconds: T0, isDay: true },
  to: { seconds: T0, isDay: true },
  out,
});

async function accepted(csv: string): Promise<number | undefined> {
  const validation = await validateDatasets({
    interactions: csv,
    schemas: { interactions: loadSchemas().interactions },
    options: { nowSeconds: T0 + 2 * DAY },
  });
  expect(validation.rules.filter((rule) => rule.severity === 'error')).toEqual([]);
  expect(validation.ok).toBe(true);
  return validation.interactions?.rows;
}

describe('CLI: events-to-interactions', () => {
  it('turns one day of a local event log into an interactions CSV that validate-data accepts', async () => {
    const out = join(root, 'local.csv');
    const { code, stdout } = await runScript(
      'cli',
      'events-to-interactions',
      '--log',
      logDir,
      '--from',
      '2026-12-01',
      '--to',
      '2026-12-01',
      '--out',
      out,
    );
    expect(code).toBe(EXIT_CODES.ok);
    expect(stdout).toBe(`1200 interactions written to ${out}\n`);
    expect(await accepted(out)).toBe(1200);
  });

  it('reads s3://bucket/prefix partition by partition, the same CSV as from the folder', async () => {
    // Prepare: the folder's files as objects under events/ (Firehose's layout, names without .jsonl).
    const files = readdirSync(logDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    const objects = new Map(
      files.map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [`events/${relative(logDir, path).replace(/\.jsonl$/, '')}`, readFileSync(path)];
      }),
    );
    s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({
      Contents: [...objects.keys()].filter((key) => key.startsWith(input.Prefix)).map((Key) => ({ Key })),
    }));
    s3.on(GetObjectCommand).callsFake((input: { Key: string }) => ({
      Body: Readable.from([objects.get(input.Key)!]) as unknown as StreamingBlobPayloadOutputTypes,
    }));
    const fromFolder = join(root, 'from-folder.csv');
    const fromS3 = join(root, 'from-s3.csv');

    // Act
    await eventsToInteractions(flags(logDir, fromFolder));
    const code = await eventsToInteractions(flags('s3://log-bucket/events', fromS3));

    // Assess
    expect(code).toBe(EXIT_CODES.ok);
    expect(readFileSync(fromS3, 'utf8')).toBe(readFileSync(fromFolder, 'utf8'));
    const listed = s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input.Prefix);
    expect(listed).toEqual([
      'events/dt=2026-12-01/',
      'events/dt=2026-12-02/',
      'events/dt=2026-12-03/',
      'events/dt=2026-12-04/',
    ]);
    expect(await accepted(fromS3)).toBe(1200);
  });

  it('refuses a date that is not one, with the usage exit code', async () => {
    const { code, stderr } = await runScript(
      'cli',
      'events-to-interactions',
      '--log',
      logDir,
      '--from',
      'yesterday',
      '--to',
      '2026-12-01',
      '--out',
      join(root, 'x.csv'),
    );
    expect(code).toBe(EXIT_CODES.invalidInput);
    expect(stderr).toContain('must be a date (YYYY-MM-DD, UTC)');
  });
});
