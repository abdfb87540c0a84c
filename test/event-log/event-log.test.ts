import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { validateDatasets } from '../../src/data-validation/index.ts';
import { InvalidInputError } from '../../src/errors.ts';
import {
  type EventLogRecord,
  EventLogWriter,
  eventLogRecordSchema,
  eventLogToInteractions,
  partitionOf,
  readEventLog,
  toEventLogRecords,
} from '../../src/event-log/index.ts';
import { withEventIds } from '../../src/recommender/event-ids.ts';
import { loadSchemas } from '../../src/schemas/index.ts';

const root = mkdtempSync(join(tmpdir(), 'event-log-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const folder = () => join(root, `f${folders++}`);

const at = (seconds: number) => new Date(seconds * 1000);
const DAY = 86_400;
/** 2026-12-01T00:00Z */
const T0 = 1_796_083_200;

/** Annotations do not constrain; the rest of the JSON file must be what zod's schema says. */
function withoutAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAnnotations);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !['$id', 'title', 'description', '$comment', 'examples'].includes(key))
      .map(([key, v]) => [key, withoutAnnotations(v)]),
  );
}

function record(overrides: Partial<EventLogRecord> = {}): EventLogRecord {
  return {
    schemaVersion: 1,
    eventId: 'e1',
    eventType: 'click',
    userId: 'u1',
    sessionId: 's1',
    itemId: 'i1',
    value: null,
    timestamp: T0 + 10,
    context: { DEVICE: 'mobile' },
    receivedAt: T0 + 11,
    ...overrides,
  };
}

async function collect<T>(lines: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('Schema: event log', () => {
  it('the published JSON Schema is exactly the zod mirror, plus annotations', () => {
    const published = JSON.parse(readFileSync('schemas/event-log.json', 'utf8'));
    expect(withoutAnnotations(published)).toEqual(
      z.toJSONSchema(eventLogRecordSchema, { target: 'draft-2020-12' }),
    );
  });

  it('rejects unknown fields, a missing field, milliseconds and a bad context column', () => {
    expect(eventLogRecordSchema.safeParse(record()).success).toBe(true);
    expect(eventLogRecordSchema.safeParse({ ...record(), extra: 1 }).success).toBe(false);
    const { userId: _, ...withoutUser } = record();
    expect(eventLogRecordSchema.safeParse(withoutUser).success).toBe(false);
    expect(eventLogRecordSchema.safeParse(record({ timestamp: 1_796_083_200_000 })).success).toBe(false);
    expect(eventLogRecordSchema.safeParse(record({ context: { device: 'x' } })).success).toBe(false);
    expect(eventLogRecordSchema.safeParse({ ...record(), schemaVersion: 2 }).success).toBe(false);
  });
});

describe('Function: toEventLogRecords', () => {
  it('maps a validated session batch to schema-valid records with ingestion’s event ids', () => {
    const events = [
      {
        eventType: 'purchase',
        itemId: 'i9',
        eventValue: 12.5,
        sentAt: at(T0),
        properties: { device: 'tv', isGift: true, note: null },
      },
      { eventId: 'mine', eventType: 'visit', sentAt: at(T0 + 1) },
    ];
    const records = toEventLogRecords({ sessionId: 's1', userId: 'u1', events }, at(T0 + 2));
    for (const r of records) expect(eventLogRecordSchema.parse(r)).toEqual(r);
    expect(records[0]).toEqual({
      schemaVersion: 1,
      eventId: withEventIds('s1', events)[0]!.eventId,
      eventType: 'purchase',
      userId: 'u1',
      sessionId: 's1',
      itemId: 'i9',
      value: 12.5,
      timestamp: T0,
      context: { DEVICE: 'tv', IS_GIFT: 'true' },
      receivedAt: T0 + 2,
    });
    expect(records[1]).toMatchObject({ eventId: 'mine', itemId: null, value: null, context: {} });
    const anonymous = toEventLogRecords({ sessionId: 's2', events: [events[1]!] }, at(T0));
    expect(anonymous[0]!.userId).toBeNull();
  });

  it('fails naming a property that cannot be a column', () => {
    const call = () =>
      toEventLogRecords(
        { sessionId: 's', events: [{ eventType: 'click', sentAt: at(T0), properties: { 'a-b': 'x' } }] },
        at(T0),
      );
    expect(call).toThrow(InvalidInputError);
    expect(call).toThrow(/events\.0\.properties\.a-b: must name an interactions column/);
  });
});

describe('Class: EventLogWriter and readEventLog', () => {
  it('writes JSON Lines under dt=YYYY-MM-DD by arrival day, rolls parts, and reads a range back', async () => {
    const dir = folder();
    const writer = new EventLogWriter({ dir, maxPartBytes: 300 });
    const records = Array.from({ length: 8 }, (_, i) =>
      record({ eventId: `e${i}`, timestamp: T0 + i * DAY - 5, receivedAt: T0 + Math.floor(i / 4) * DAY }),
    );
    for (const r of records) await writer.write([r]);
    await writer.close();
    expect(readdirSync(dir).sort()).toEqual(['dt=2026-12-01', 'dt=2026-12-02']);
    expect(partitionOf(T0 + DAY + 1)).toBe('dt=2026-12-02');
    const firstDay = readdirSync(join(dir, 'dt=2026-12-01'));
    expect(firstDay.length).toBeGreaterThan(1);
    expect(firstDay.every((name) => /^part-[0-9a-f]{8}-\d{5}\.jsonl$/.test(name))).toBe(true);
    const all = await collect(readEventLog({ dir, from: 0, to: T0 + 100 * DAY }));
    expect(all.map((l) => ('record' in l ? l.record.eventId : 'bad')).sort()).toEqual(
      records.map((r) => r.eventId).sort(),
    );
    const some = await collect(readEventLog({ dir, from: T0 + DAY - 5, to: T0 + 3 * DAY - 5 }));
    expect(some.map((l) => ('record' in l ? l.record.eventId : 'bad')).sort()).toEqual(['e1', 'e2']);
  });

  it('reports lines that are not JSON or break the schema, with file and line', async () => {
    const dir = folder();
    const writer = new EventLogWriter({ dir });
    await writer.write([record()]);
    await writer.close();
    const part = join(dir, 'dt=2026-12-01', readdirSync(join(dir, 'dt=2026-12-01'))[0]!);
    writeFileSync(
      part,
      `${readFileSync(part, 'utf8')}{oops\n${JSON.stringify({ ...record(), userId: 3 })}\n`,
    );
    const lines = await collect(readEventLog({ dir, from: 0, to: T0 + DAY }));
    expect(lines).toEqual([
      { record: record() },
      { malformed: { file: part, line: 2, reason: 'not JSON' } },
      { malformed: { file: part, line: 3, reason: expect.stringMatching(/^userId: /) } },
    ]);
  });
});

describe('Function: eventLogToInteractions', () => {
  it('writes an interactions CSV that validate-data accepts, dropping what cannot be an interaction', async () => {
    // Prepare: 40 users × 30 events, a resent batch, anonymous and item-less events, one out of range.
    const dir = folder();
    const writer = new EventLogWriter({ dir });
    const schemas = loadSchemas();
    for (let u = 0; u < 40; u++) {
      const events = Array.from({ length: 30 }, (_, k) => ({
        eventType: k % 3 === 0 ? 'purchase' : 'click',
        itemId: `i${(u + k) % 50}`,
        ...(k % 3 === 0 && { eventValue: 9.99 }),
        sentAt: at(T0 - 3 * DAY + u * 100 + k),
        properties: { device: k % 2 === 0 ? 'mobile' : 'tv, "smart"' },
      }));
      const records = toEventLogRecords({ sessionId: `s${u}`, userId: `u${u}`, events }, at(T0 + u));
      await writer.write(records);
      if (u === 7) await writer.write(records.slice(0, 10));
    }
    await writer.write(
      toEventLogRecords(
        { sessionId: 'anon', events: [{ eventType: 'click', itemId: 'i1', sentAt: at(T0) }] },
        at(T0),
      ),
    );
    await writer.write(
      toEventLogRecords(
        { sessionId: 's1', userId: 'u1', events: [{ eventType: 'visit', sentAt: at(T0) }] },
        at(T0),
      ),
    );
    await writer.write([record({ eventId: 'late', timestamp: T0 + 5 * DAY, receivedAt: T0 + 5 * DAY })]);
    await writer.close();
    const out = join(root, 'interactions.csv');

    // Act
    const report = await eventLogToInteractions({ dir, from: T0 - 7 * DAY, to: T0 + DAY, out });

    // Assess
    expect(report).toEqual({
      written: 1200,
      rejected: { 'no-user': 1, 'no-item': 1, 'missing-column': 0, duplicate: 10, malformed: 0 },
      malformedExamples: [],
    });
    const csv = readFileSync(out, 'utf8').split('\n');
    expect(csv[0]).toBe('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE');
    expect(csv).toContain(`u0,i0,${T0 - 3 * DAY},purchase,9.99,mobile`);
    expect(csv).toContain(`u0,i1,${T0 - 3 * DAY + 1},click,,"tv, ""smart"""`);
    const validation = await validateDatasets({
      interactions: out,
      schemas: { interactions: schemas.interactions },
      options: { nowSeconds: T0 + DAY },
    });
    expect(validation.rules.filter((r) => r.severity === 'error')).toEqual([]);
    expect(validation.ok).toBe(true);
    expect(validation.interactions?.rows).toBe(1200);
  });

  it('rejects records missing a required column of the schema and reads from any reader', async () => {
    const schemas = loadSchemas();
    const schema = {
      ...schemas.interactions,
      fields: schemas.interactions.fields.map((f) => (f.name === 'DEVICE' ? { ...f, nullable: false } : f)),
    };
    async function* lines() {
      yield { record: record({ eventId: 'a' }) };
      yield { record: record({ eventId: 'b', context: {} }) };
    }
    const out = join(root, 'required.csv');
    const report = await eventLogToInteractions({ from: 0, to: 1, reader: lines(), out, schema });
    expect(report.written).toBe(1);
    expect(report.rejected['missing-column']).toBe(1);
    await expect(eventLogToInteractions({ from: 0, to: 1, out })).rejects.toThrow(InvalidInputError);
  });

  it("gives an anonymous session's events to the user it logs in as later, once each", async () => {
    // Prepare: a session browses anonymously (one batch sent twice), then logs in as u7; another never does.
    const dir = folder();
    const writer = new EventLogWriter({ dir });
    const browse = (sessionId: string, items: string[], second: number) =>
      toEventLogRecords(
        {
          sessionId,
          events: items.map((itemId, k) => ({ eventType: 'click', itemId, sentAt: at(T0 + second + k) })),
        },
        at(T0 + second),
      );
    const anonymous = browse('join1', ['i5', 'i6'], 0);
    await writer.write(anonymous);
    await writer.write(anonymous);
    await writer.write(browse('never', ['i9'], 5));
    await writer.write(
      toEventLogRecords(
        {
          sessionId: 'join1',
          userId: 'u7',
          events: [{ eventType: 'purchase', itemId: 'i7', sentAt: at(T0 + 10) }],
        },
        at(T0 + 10),
      ),
    );
    await writer.close();
    const out = join(root, 'joined.csv');

    // Act
    const report = await eventLogToInteractions({ dir, from: T0 - DAY, to: T0 + DAY, out });

    // Assess
    expect(report.written).toBe(3);
    expect(report.rejected).toMatchObject({ 'no-user': 1, duplicate: 2 });
    const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1);
    expect(rows.map((row) => row.split(',').slice(0, 2).join(',')).sort()).toEqual([
      'u7,i5',
      'u7,i6',
      'u7,i7',
    ]);
  });
});
