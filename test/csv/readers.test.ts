/**
 * One table of tricky files fed to every reader of dataset CSVs: validate-data (recover mode), the local
 * engine's loader (as interactions and as a users file), evaluation's test-file reader and the batch CLIs'
 * id-column reader (strict mode). Each
 * must see the same records, or fail on the same record with the same message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readIdColumn } from '../../src/batch/jobs/id-column.ts';
import { CSV_MESSAGES } from '../../src/csv/index.ts';
import { IssueLog } from '../../src/data-validation/issue-log.ts';
import { scanFile } from '../../src/data-validation/scan-file.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { readTestInteractions } from '../../src/evaluation/test-file.ts';
import { loadDataset } from '../../src/local/data/index.ts';
import { parseSchema } from '../../src/schemas/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'csv-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'USER_ID,ITEM_ID,TIMESTAMP';
const ONE_INTERACTION_USER = 'only-interacting-user';
const ONE_INTERACTION = join(dir, 'one-interaction.csv');
writeFileSync(ONE_INTERACTION, `${HEADER}\n${ONE_INTERACTION_USER},i1,1700000000\n`);
const SCHEMA = parseSchema(
  'interactions',
  JSON.stringify({
    type: 'record',
    name: 'Interactions',
    fields: [
      { name: 'USER_ID', type: 'string' },
      { name: 'ITEM_ID', type: 'string' },
      { name: 'TIMESTAMP', type: 'long' },
    ],
  }),
);

type Row = readonly [user: string, item: string, timestamp: string];

interface Case {
  readonly name: string;
  readonly text: string;
  /** The records every reader must see. */
  readonly rows?: readonly Row[];
  /** Lines validate-data reports as empty (the other readers skip them silently). */
  readonly blankLines?: readonly number[];
  /** The first malformed record: strict readers fail on it, validate-data reports it. */
  readonly error?: { readonly line: number; readonly column: number; readonly message: string };
}

const CASES: readonly Case[] = [
  {
    name: 'backslash-escaped quotes and backslashes (Personalize style)',
    text: `${HEADER}\n"u\\"1\\"",i1,1700000001\n"u\\\\2",i2,1700000002\n"u\\",3",i3,1700000003\n`,
    rows: [
      ['u"1"', 'i1', '1700000001'],
      ['u\\2', 'i2', '1700000002'],
      ['u",3', 'i3', '1700000003'],
    ],
  },
  {
    name: 'doubled quotes (RFC 4180 style)',
    text: `${HEADER}\n"u""1""",i1,1700000001\n"""",i2,1700000002\n`,
    rows: [
      ['u"1"', 'i1', '1700000001'],
      ['"', 'i2', '1700000002'],
    ],
  },
  {
    name: 'quoted commas and newlines',
    text: `${HEADER}\n"u,1","i\n1",1700000001\nu2,"i,2","1700000002"\n`,
    rows: [
      ['u,1', 'i\n1', '1700000001'],
      ['u2', 'i,2', '1700000002'],
    ],
  },
  {
    name: 'a UTF-8 byte-order mark and non-ASCII ids',
    text: `\uFEFF${HEADER}\nü1,é1,1700000001\n`,
    rows: [['ü1', 'é1', '1700000001']],
  },
  {
    name: 'CRLF line ends',
    text: `${HEADER}\r\nu1,i1,1700000001\r\n"u\r\n2",i2,1700000002\r\n`,
    rows: [
      ['u1', 'i1', '1700000001'],
      ['u\r\n2', 'i2', '1700000002'],
    ],
  },
  {
    name: 'a torn last line (no final newline)',
    text: `${HEADER}\nu1,i1,1700000001\nu2,i2,1700000002`,
    rows: [
      ['u1', 'i1', '1700000001'],
      ['u2', 'i2', '1700000002'],
    ],
  },
  {
    name: 'empty lines between records and at the end',
    text: `${HEADER}\nu1,i1,1700000001\n\r\nu2,i2,1700000002\n\n`,
    rows: [
      ['u1', 'i1', '1700000001'],
      ['u2', 'i2', '1700000002'],
    ],
    blankLines: [3, 5],
  },
  {
    name: 'a quote that never closes',
    text: `${HEADER}\nu1,i1,1700000001\nu2,"i2,1700000002\nu3,i3,1700000003\n`,
    error: { line: 3, column: 2, message: CSV_MESSAGES.neverClosed(2) },
  },
  {
    name: 'a value ending in a single backslash, which escapes its closing quote',
    text: `${HEADER}\n"C:\\",i1,1700000001\n`,
    error: { line: 2, column: 1, message: CSV_MESSAGES.neverClosed(1) },
  },
  {
    name: 'text after a closing quote',
    text: `${HEADER}\nu1,i1,1700000001\n"u2"x,i2,1700000002\n`,
    error: { line: 3, column: 1, message: CSV_MESSAGES.textAfterQuote(1, 'x') },
  },
  {
    name: 'too few columns',
    text: `${HEADER}\nu1,i1\n`,
    error: { line: 2, column: 0, message: CSV_MESSAGES.columnCount(2, 3) },
  },
  {
    name: 'too many columns',
    text: `${HEADER}\nu1,i1,1700000001,extra\n`,
    error: { line: 2, column: 0, message: CSV_MESSAGES.columnCount(4, 3) },
  },
];

interface ValidateDataView {
  readonly rows: Row[];
  /** [rule, line, column, message] of every CSV-shape finding. */
  readonly findings: [string, number, number, string][];
}

/** What validate-data reads: its per-file scan, with the records it hands to the dataset checks. */
async function validateData(path: string): Promise<ValidateDataView> {
  const log = new IssueLog(100);
  const rows: Row[] = [];
  await scanFile({ file: path, schema: SCHEMA, log, nowSeconds: 1_800_000_000 }, () => (fields) => {
    rows.push([fields[0]!, fields[1]!, fields[2]!]);
  });
  const findings = log
    .results()
    .filter((r) => ['csv-syntax', 'row-column-count', 'blank-line'].includes(r.rule))
    .flatMap((r) =>
      r.examples.map((e): [string, number, number, string] => [r.rule, e.line, e.column, e.message]),
    );
  return { rows, findings };
}

async function engineLoader(path: string): Promise<Row[]> {
  const { users, items, interactions } = await loadDataset({ interactions: path });
  return Array.from(
    { length: interactions.length },
    (_, r): Row => [
      users.ids[interactions.userIndex[r]!]!,
      items.ids[interactions.itemIndex[r]!]!,
      String(interactions.timestamp[r]),
    ],
  );
}

/** The loader's metadata path: the file as a users file next to a one-row interactions file. */
async function engineUsersFile(path: string): Promise<string[]> {
  const { users } = await loadDataset({ interactions: ONE_INTERACTION, users: path });
  return users.ids.filter((id) => id !== ONE_INTERACTION_USER);
}

async function evaluation(path: string): Promise<[string, string][]> {
  return (await readTestInteractions(path)).map(({ userId, itemId }) => [userId, itemId]);
}

const batchUsers = (path: string): Promise<string[]> => readIdColumn(path, 'USER_ID');

const STRICT_READERS: readonly [string, (path: string) => Promise<unknown>][] = [
  ['engine loader', engineLoader],
  ['engine loader (users file)', engineUsersFile],
  ['evaluation', evaluation],
  ['batch id column', batchUsers],
];

describe('every CSV reader on the same tricky files', () => {
  CASES.forEach((c, n) => {
    const path = join(dir, `case-${n}.csv`);
    writeFileSync(path, c.text);

    if (c.rows) {
      const rows = c.rows;
      it(`reads the same records: ${c.name}`, async () => {
        const validated = await validateData(path);
        expect(validated.rows).toEqual(rows);
        expect(validated.findings).toEqual(
          (c.blankLines ?? []).map((line) => ['blank-line', line, 0, 'empty line; remove it']),
        );
        expect(await engineLoader(path)).toEqual(rows);
        expect(await engineUsersFile(path)).toEqual([...new Set(rows.map(([user]) => user))]);
        expect(await evaluation(path)).toEqual(rows.map(([user, item]) => [user, item]));
        expect(await batchUsers(path)).toEqual([...new Set(rows.map(([user]) => user))]);
      });
    }

    const error = c.error;
    if (error) {
      it(`fails or reports the same problem: ${c.name}`, async () => {
        const rule = error.column === 0 ? 'row-column-count' : 'csv-syntax';
        expect((await validateData(path)).findings).toContainEqual([
          rule,
          error.line,
          error.column,
          error.message,
        ]);
        for (const [reader, read] of STRICT_READERS) {
          const failure = await read(path).then(
            () => expect.unreachable(`${reader} accepted ${c.name}`),
            (e: unknown) => e,
          );
          expect(failure, reader).toBeInstanceOf(InvalidInputError);
          expect((failure as Error).message, reader).toBe(`${path}:${error.line}: ${error.message}`);
        }
      });
    }
  });
});
