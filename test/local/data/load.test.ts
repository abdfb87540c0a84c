import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError, ResourceNotFoundError } from '../../../src/errors.ts';
import { loadDataset } from '../../../src/local/data/load.ts';
import type { AttributeColumn } from '../../../src/local/data/types.ts';
import { loadSchemas } from '../../../src/schemas/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function column(columns: readonly AttributeColumn[], name: string): AttributeColumn {
  const found = columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
}

describe('loadDataset', () => {
  it('maps ids to dense indices and fills the typed columns', async () => {
    const interactions = file(
      'plain.csv',
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\r\nu1,i1,100,click,\r\nu1,i2,101,purchase,4.5\r\nu2,i1,102,click,1\r\n',
    );
    const data = await loadDataset({ interactions });
    expect(data.users.ids).toEqual(['u1', 'u2']);
    expect(data.items.ids).toEqual(['i1', 'i2']);
    expect(data.eventTypes).toEqual(['click', 'purchase']);
    const t = data.interactions;
    expect(t.length).toBe(3);
    expect(Array.from(t.userIndex)).toEqual([0, 0, 1]);
    expect(Array.from(t.itemIndex)).toEqual([0, 1, 0]);
    expect(Array.from(t.timestamp)).toEqual([100, 101, 102]);
    expect(Array.from(t.eventType)).toEqual([0, 1, 0]);
    expect(Number.isNaN(t.eventValue[0])).toBe(true);
    expect(t.eventValue[1]).toBe(4.5);
    expect(t.context).toBeUndefined();
  });

  it('reads quoted fields with commas, newlines and both quote escapes', async () => {
    const interactions = file('i.csv', 'USER_ID,ITEM_ID,TIMESTAMP\nu1,"a,b",1\nu1,b,2\n');
    const items = file(
      'items.csv',
      'ITEM_ID,DESCRIPTION\n"a,b","said ""hi"", then \\"bye\\" and a back\\\\slash"\nb,"two\nlines of text"\n',
    );
    const data = await loadDataset({ interactions, items });
    expect(data.items.ids).toEqual(['a,b', 'b']);
    const description = column(data.itemAttributes.columns, 'DESCRIPTION');
    expect(description.kind).toBe('textual');
    expect(description.values).toEqual(['said "hi", then "bye" and a back\\slash', 'two\nlines of text']);
  });

  it('infers kinds of MovieLens-like item and user columns', async () => {
    const genres = ['Comedy|Drama', 'Drama', 'Action|Thriller', 'Comedy', 'Animation|Children'];
    const itemRows = Array.from(
      { length: 40 },
      (_, i) => `m${i},"Film number ${i} (${1990 + (i % 20)})",${genres[i % genres.length]},${i * 0.5}`,
    );
    const items = file('movies.csv', `ITEM_ID,TITLE,GENRES,PRICE\n${itemRows.join('\n')}\n`);
    const userRows = Array.from(
      { length: 300 },
      (_, i) => `u${i},${18 + (i % 40)},${i % 2 ? 'F' : 'M'},${i % 21},${10000 + i * 37}-${i}`,
    );
    const users = file('users.csv', `USER_ID,AGE,GENDER,OCCUPATION,ZIP\n${userRows.join('\n')}\n`);
    const interactions = file('ratings.csv', 'USER_ID,ITEM_ID,TIMESTAMP\nu0,m0,5\n');
    const data = await loadDataset({ interactions, items, users });
    const kinds = (columns: readonly AttributeColumn[]) =>
      Object.fromEntries(columns.map((c) => [c.name, c.kind]));
    expect(kinds(data.itemAttributes.columns)).toEqual({
      TITLE: 'textual',
      GENRES: 'categorical',
      PRICE: 'numeric',
    });
    // AGE is numbers only; OCCUPATION codes are few numbers, so numeric too; ZIP is a high-cardinality code.
    expect(kinds(data.userAttributes.columns)).toEqual({
      AGE: 'numeric',
      GENDER: 'categorical',
      OCCUPATION: 'numeric',
    });
    expect(column(data.itemAttributes.columns, 'GENRES').values[0]).toEqual(['Comedy', 'Drama']);
  });

  it('indexes items and users that only appear in the metadata files', async () => {
    const interactions = file('few.csv', 'USER_ID,ITEM_ID,TIMESTAMP\nu1,i2,1\nu3,i9,2\n');
    const items = file('catalog.csv', 'ITEM_ID,CATEGORY\ni1,a\ni2,b\ni3,a\n');
    const users = file('people.csv', 'USER_ID,MEMBERSHIP\nu1,gold\nu2,free\n');
    const data = await loadDataset({ interactions, items, users });
    expect(data.items.ids).toEqual(['i1', 'i2', 'i3', 'i9']);
    expect(data.users.ids).toEqual(['u1', 'u2', 'u3']);
    expect(column(data.itemAttributes.columns, 'CATEGORY').values).toEqual([['a'], ['b'], ['a'], []]);
    expect(column(data.userAttributes.columns, 'MEMBERSHIP').values).toEqual([['gold'], ['free'], []]);
  });

  it('reads kinds from schemas and keeps categorical interaction context', async () => {
    const schemas = loadSchemas();
    const interactions = file(
      'ctx.csv',
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE\nu1,i1,1,click,,mobile\nu2,i1,2,click,,\nu2,i2,3,click,,desktop\n',
    );
    const items = file(
      'schema-items.csv',
      'ITEM_ID,CATEGORY,TAGS,BRAND,PRICE,CREATION_TIMESTAMP,DESCRIPTION\ni1,shoes,a|b,,10,5,"Red running shoe"\ni2,hats,,acme,2.5,6,\n',
    );
    const data = await loadDataset({ interactions, items, schemas });
    const kinds = Object.fromEntries(data.itemAttributes.columns.map((c) => [c.name, c.kind]));
    expect(kinds).toEqual({
      CATEGORY: 'categorical',
      TAGS: 'categorical',
      BRAND: 'categorical',
      PRICE: 'numeric',
      CREATION_TIMESTAMP: 'numeric',
      DESCRIPTION: 'textual',
    });
    const device = data.interactions.context![0]!;
    expect(device.name).toBe('DEVICE');
    expect(Array.from(device.codes, (c) => device.values[c])).toEqual(['mobile', '', 'desktop']);
  });

  it('fails naming every missing required column', async () => {
    const interactions = file('missing.csv', 'USER,ITEM_ID\nu1,i1\n');
    await expect(loadDataset({ interactions })).rejects.toThrow(InvalidInputError);
    await expect(loadDataset({ interactions })).rejects.toThrow(
      /missing\.csv:1:USER_ID.*missing\.csv:1:TIMESTAMP/,
    );
  });

  it('fails naming file, line and column of a bad value', async () => {
    const interactions = file('bad-ts.csv', 'USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1\nu1,i2,yesterday\n');
    await expect(loadDataset({ interactions })).rejects.toThrow(
      /bad-ts\.csv:3:TIMESTAMP: must be epoch seconds/,
    );
    const short = file('short.csv', 'USER_ID,ITEM_ID,TIMESTAMP\nu1,i1\n');
    await expect(loadDataset({ interactions: short })).rejects.toThrow(/short\.csv:2: has 2 fields/);
    const unclosed = file('unclosed.csv', 'USER_ID,ITEM_ID,TIMESTAMP\nu1,"i1,1\n');
    await expect(loadDataset({ interactions: unclosed })).rejects.toThrow(/never closed/);
  });

  it('fails on ids longer than 256 characters, counted in code points as validate-data counts', async () => {
    const longUser = 'u'.repeat(301);
    const interactions = file('long-id.csv', `USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1\n${longUser},i2,2\n`);
    await expect(loadDataset({ interactions })).rejects.toThrow(
      /USER_ID: "u{40}…" has 301 characters; ids are at most 256/,
    );
    // 200 emoji are 400 UTF-16 units but 200 characters: allowed.
    const emoji = file('emoji-id.csv', `USER_ID,ITEM_ID,TIMESTAMP\nu1,${'😀'.repeat(200)},1\n`);
    await expect(loadDataset({ interactions: emoji })).resolves.toMatchObject({
      items: { ids: ['😀'.repeat(200)] },
    });
    const items = file('long-items.csv', `ITEM_ID\n${'i'.repeat(257)}\n${'j'.repeat(300)}\n`);
    await expect(
      loadDataset({ interactions: file('ok.csv', 'USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1\n'), items }),
    ).rejects.toThrow(/ITEM_ID: "i{40}…" has 257 characters \(and 1 more\)/);
  });

  it('fails on columns that disagree with the schema', async () => {
    const schemas = loadSchemas();
    const interactions = file(
      'no-device.csv',
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,COLOR\nu1,i1,1,click,,red\n',
    );
    await expect(loadDataset({ interactions, schemas })).rejects.toThrow(/DEVICE.*COLOR/);
  });

  it('reports progress in bytes of the interactions file', async () => {
    const interactions = file('progress.csv', 'USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1\n');
    const calls: string[] = [];
    await loadDataset(
      { interactions },
      {
        start: (label, total) => calls.push(`start ${total} ${label.endsWith('progress.csv')}`),
        update: (done) => calls.push(`update ${done}`),
        stop: () => calls.push('stop'),
      },
    );
    expect(calls).toEqual(['start 34 true', 'update 34', 'update 34', 'stop']);
  });

  it('fails on a missing file with ResourceNotFoundError', async () => {
    await expect(loadDataset({ interactions: join(dir, 'absent.csv') })).rejects.toThrow(
      ResourceNotFoundError,
    );
  });
});
