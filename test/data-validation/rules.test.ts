import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderText, validateDatasets } from '../../src/data-validation/index.ts';
import { InvalidInputError, ResourceNotFoundError } from '../../src/errors.ts';
import { validateGetRecommendations } from '../../src/recommender/request-validation.ts';
import { parseSchema } from '../../src/schemas/index.ts';
import {
  cleanInteractionRows,
  cleanItemRows,
  cleanUserRows,
  firing,
  HEADERS,
  NOW,
  ruleOf,
  SCHEMAS,
  tempFolder,
  validate,
} from './fixtures.ts';

const folder = tempFolder();
const clean = cleanInteractionRows();

/** Clean interactions with `rows` appended; returns the path. Appended row k sits on line clean.length + 2 + k. */
function interactionsWith(name: string, rows: readonly string[]): string {
  return folder.write(name, [HEADERS.interactions, ...clean, ...rows]);
}
const appendedLine = (k = 0) => clean.length + 2 + k;

describe('Function: validateDatasets', () => {
  it('passes clean interactions, users and items with only the event-type info', async () => {
    // Prepare
    const interactions = interactionsWith('clean.csv', []);
    const users = folder.write('users.csv', [HEADERS.users, ...cleanUserRows()]);
    const items = folder.write('items.csv', [HEADERS.items, ...cleanItemRows()]);

    // Act
    const report = await validate({ interactions, users, items });

    // Assess
    expect(report.ok).toBe(true);
    expect(report.counts).toEqual({ error: 0, warning: 0, info: 1 });
    expect(report.files.map((f) => [f.dataset, f.rows])).toEqual([
      ['users', 40],
      ['items', 50],
      ['interactions', 1200],
    ]);
    expect(report.interactions).toEqual({
      rows: 1200,
      distinctUsers: 40,
      activeUsers: 40,
      eventTypes: { click: 800, purchase: 400 },
    });
    expect(ruleOf(report, 'event-type-distribution').examples[0]!.message).toBe(
      'event types: click 800 (66.7%), purchase 400 (33.3%)',
    );
    expect(report.notes.join(' ')).toContain('64-bit hashes');
  });

  it('validates any one dataset alone', async () => {
    const users = folder.write('users-alone.csv', [HEADERS.users, ...cleanUserRows()]);
    const report = await validate({ users });
    expect(report.ok).toBe(true);
    expect(report.rules).toEqual([]);
  });

  it('fails when no file is given, and names a missing file', async () => {
    await expect(validate({})).rejects.toBeInstanceOf(InvalidInputError);
    const missing = join(folder.dir, 'nope.csv');
    await expect(validate({ items: missing })).rejects.toThrow(
      new ResourceNotFoundError(`items file not found: ${missing}`),
    );
  });

  it('fails a file that is not a schema dataset type', async () => {
    const users = folder.write('users-wrong-schema.csv', [HEADERS.users]);
    await expect(validateDatasets({ users, schemas: { users: SCHEMAS.items } })).rejects.toThrow(
      /is a items schema, expected users/,
    );
  });

  it('lists at most maxExamples per rule but counts all', async () => {
    const file = interactionsWith('many.csv', [
      'u1,i1,x,click,,',
      'u1,i1,y,click,,',
      'u1,i1,z,click,,',
      'u1,i1,w,click,,',
    ]);
    const report = await validate({ interactions: file }, 2);
    expect(firing(report, 'field-type')).toEqual({
      severity: 'error',
      count: 4,
      at: [
        [appendedLine(0), 3],
        [appendedLine(1), 3],
      ],
    });
  });

  it('reports schema rule findings with the data findings', async () => {
    // Prepare: NICKNAME is a plain string, ignored in training
    const schema = parseSchema(
      'users',
      JSON.stringify({
        type: 'record',
        name: 'Users',
        fields: [
          { name: 'USER_ID', type: 'string' },
          { name: 'NICKNAME', type: 'string' },
        ],
      }),
    );
    const users = folder.write('users-nick.csv', ['USER_ID,NICKNAME', 'u1,bob']);

    // Act
    const report = await validateDatasets({ users, schemas: { users: schema } });

    // Assess
    const rule = ruleOf(report, 'schema-ignored-string');
    expect(rule.severity).toBe('warning');
    expect(rule.examples[0]).toMatchObject({
      file: 'users schema',
      message: expect.stringContaining('NICKNAME'),
    });
    expect(report.ok).toBe(true);
  });

  it('renders errors, then warnings, then the summary', async () => {
    const file = interactionsWith('render.csv', ['u1,i1,abc,click,,', '', clean[0]!]);
    const text = renderText(await validate({ interactions: file }));
    const errors = text.indexOf('ERRORS');
    const warnings = text.indexOf('WARNINGS');
    const summary = text.indexOf('SUMMARY');
    expect(errors).toBeGreaterThanOrEqual(0);
    expect(warnings).toBeGreaterThan(errors);
    expect(summary).toBeGreaterThan(warnings);
    expect(text).toContain(`${file}:${appendedLine(0)}:3  TIMESTAMP "abc" is not a long`);
    expect(text).toContain('event types: click 801 (66.6%), purchase 401 (33.4%)');
    expect(text).toMatch(/FAILED\n$/);
  });
});

describe('Rules: header', () => {
  it('file-empty: a file without a header row', async () => {
    const file = join(folder.dir, 'empty.csv');
    writeFileSync(file, '');
    expect(firing(await validate({ interactions: file }), 'file-empty')).toEqual({
      severity: 'error',
      count: 1,
      at: [[1, 0]],
    });
  });

  it('header-missing-column: a schema field without a column', async () => {
    const file = folder.write('missing-col.csv', [
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE',
      'u1,i1,1700000000,click,',
    ]);
    const report = await validate({ interactions: file });
    expect(firing(report, 'header-missing-column')).toEqual({ severity: 'error', count: 1, at: [[1, 0]] });
    expect(ruleOf(report, 'header-missing-column').examples[0]!.message).toContain('[DEVICE]');
  });

  it('header-unknown-column: a column that is not in the schema', async () => {
    const file = folder.write('extra-col.csv', [
      `${HEADERS.interactions},COLOR`,
      'u1,i1,1700000000,click,,,red',
    ]);
    expect(firing(await validate({ interactions: file }), 'header-unknown-column')).toEqual({
      severity: 'error',
      count: 1,
      at: [[1, 7]],
    });
  });

  it('header-duplicate-column: a column named twice', async () => {
    const file = folder.write('dup-col.csv', [`${HEADERS.interactions},DEVICE`, 'u1,i1,1700000000,click,,,']);
    expect(firing(await validate({ interactions: file }), 'header-duplicate-column')).toEqual({
      severity: 'error',
      count: 1,
      at: [[1, 7]],
    });
  });

  it('header-column-order: columns out of schema order, still checked by name', async () => {
    const file = folder.write('order.csv', [
      'ITEM_ID,USER_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE',
      'i1,u1,1700000000,click,,',
      'i1,,1700000000,click,,',
    ]);
    const report = await validate({ interactions: file });
    expect(firing(report, 'header-column-order')).toEqual({ severity: 'warning', count: 1, at: [[1, 2]] });
    expect(firing(report, 'required-value')).toEqual({ severity: 'error', count: 1, at: [[3, 2]] });
  });
});

describe('Rules: CSV shape', () => {
  it('csv-syntax: text after a closing quote and a quote that never closes', async () => {
    const items = cleanItemRows();
    const file = folder.write('syntax.csv', [
      HEADERS.items,
      ...items,
      'i90,shoes,,b,1.00,1690000000,"closed"then',
      'i91,shoes,,b,1.00,1690000000,"never closed',
    ]);
    const report = await validate({ items: file });
    expect(firing(report, 'csv-syntax')).toEqual({
      severity: 'error',
      count: 2,
      at: [
        [items.length + 2, 7],
        [items.length + 3, 7],
      ],
    });
    expect(report.files[0]!.rows).toBe(items.length + 1);
  });

  it('blank-line: an empty line between records', async () => {
    const file = interactionsWith('blank.csv', ['', clean[0]!.replace('mobile', 'tv')]);
    expect(firing(await validate({ interactions: file }), 'blank-line')).toEqual({
      severity: 'warning',
      count: 1,
      at: [[appendedLine(0), 0]],
    });
  });

  it('row-column-count: a row with fewer columns than the header', async () => {
    const file = interactionsWith('short.csv', ['u1,i1,1700000000,click,']);
    expect(firing(await validate({ interactions: file }), 'row-column-count')).toEqual({
      severity: 'error',
      count: 1,
      at: [[appendedLine(), 0]],
    });
  });
});

describe('Rules: values', () => {
  it('field-type: long and float values that do not parse', async () => {
    const file = interactionsWith('types.csv', ['u1,i1,17e8,click,,', 'u1,i1,1700000001,click,high,']);
    expect(firing(await validate({ interactions: file }), 'field-type')).toEqual({
      severity: 'error',
      count: 2,
      at: [
        [appendedLine(0), 3],
        [appendedLine(1), 5],
      ],
    });
  });

  it('field-type: booleans must be lower-case, ints and doubles in range', async () => {
    // Prepare
    const schema = parseSchema(
      'users',
      JSON.stringify({
        type: 'record',
        name: 'Users',
        fields: [
          { name: 'USER_ID', type: 'string' },
          { name: 'VIP', type: 'boolean' },
          { name: 'AGE', type: ['null', 'int'] },
          { name: 'SCORE', type: ['null', 'double'] },
        ],
      }),
    );
    const users = folder.write('typed-users.csv', [
      'USER_ID,VIP,AGE,SCORE',
      'u1,true,-2147483648,1.5e300',
      'u2,True,,',
      'u3,false,2147483648,',
      'u4,false,,1e999',
    ]);

    // Act
    const report = await validateDatasets({ users, schemas: { users: schema } });

    // Assess
    expect(firing(report, 'field-type')).toEqual({
      severity: 'error',
      count: 3,
      at: [
        [3, 2],
        [4, 3],
        [5, 4],
      ],
    });
    expect(ruleOf(report, 'field-type').examples[0]!.message).toBe(
      'VIP "True" is not a lower-case boolean (true or false)',
    );
  });

  it('required-value: an empty value in a non-nullable field', async () => {
    const file = interactionsWith('required.csv', ['u1,,1700000000,click,,']);
    expect(firing(await validate({ interactions: file }), 'required-value')).toEqual({
      severity: 'error',
      count: 1,
      at: [[appendedLine(), 2]],
    });
  });

  it('timestamp-milliseconds: epoch milliseconds instead of seconds', async () => {
    const file = interactionsWith('millis.csv', ['u1,i1,1700000000000,click,,']);
    expect(firing(await validate({ interactions: file }), 'timestamp-milliseconds')).toEqual({
      severity: 'error',
      count: 1,
      at: [[appendedLine(), 3]],
    });
  });

  it('timestamp-future: a timestamp after now', async () => {
    const file = interactionsWith('future.csv', [`u1,i1,${NOW + 60},click,,`]);
    expect(firing(await validate({ interactions: file }), 'timestamp-future')).toEqual({
      severity: 'warning',
      count: 1,
      at: [[appendedLine(), 3]],
    });
  });

  it('timestamp-too-old: interactions and item creation before 2000', async () => {
    const interactions = interactionsWith('old.csv', ['u1,i1,900000000,click,,']);
    const items = folder.write('old-items.csv', [HEADERS.items, 'i1,shoes,,b,1.00,-5,']);
    const report = await validate({ interactions, items });
    expect(firing(report, 'timestamp-too-old')).toEqual({
      severity: 'warning',
      count: 2,
      at: [
        [2, 6],
        [appendedLine(), 3],
      ],
    });
  });

  it('id-length: a USER_ID longer than 256 characters', async () => {
    const file = interactionsWith('long-id.csv', [`${'u'.repeat(257)},i1,1700000000,click,,`]);
    const report = await validate({ interactions: file });
    expect(firing(report, 'id-length')).toEqual({ severity: 'error', count: 1, at: [[appendedLine(), 1]] });
    expect(ruleOf(report, 'id-length').examples[0]!.message).toBe(
      'USER_ID value is 257 characters, the limit is 256',
    );
  });

  it('id-length counts code points, like the API: 256 emoji pass, 257 fail', async () => {
    // Each emoji is 2 UTF-16 units: counted in units, 129 of them would already break the limit.
    const file = interactionsWith('emoji-id.csv', [
      `${'😀'.repeat(256)},i1,1700000000,click,,`,
      `${'😀'.repeat(257)},i1,1700000000,click,,`,
    ]);
    const report = await validate({ interactions: file });
    expect(firing(report, 'id-length')).toEqual({ severity: 'error', count: 1, at: [[appendedLine(1), 1]] });
    expect(ruleOf(report, 'id-length').examples[0]!.message).toBe(
      'USER_ID value is 257 characters, the limit is 256',
    );
    expect(validateGetRecommendations({ userId: '😀'.repeat(256) }).userId).toHaveLength(512);
    expect(() => validateGetRecommendations({ userId: '😀'.repeat(257) })).toThrow(InvalidInputError);
  });

  it('categorical-length: a |-separated value longer than 1000 characters in total', async () => {
    const ok = Array.from({ length: 200 }, () => 'abcd').join('|');
    const tooLong = Array.from({ length: 201 }, () => 'abcd').join('|');
    const file = folder.write('tags.csv', [
      HEADERS.items,
      `i1,shoes,${ok},b,1.00,1690000000,`,
      `i2,shoes,${tooLong},b,1.00,1690000000,`,
    ]);
    expect(firing(await validate({ items: file }), 'categorical-length')).toEqual({
      severity: 'error',
      count: 1,
      at: [[3, 3]],
    });
  });

  it('textual-length: a description longer than 20,000 characters', async () => {
    const file = folder.write('text.csv', [
      HEADERS.items,
      `i1,shoes,,b,1.00,1690000000,"${'word, '.repeat(3334)}"`,
    ]);
    expect(firing(await validate({ items: file }), 'textual-length')).toEqual({
      severity: 'warning',
      count: 1,
      at: [[2, 7]],
    });
  });
});

describe('Rules: duplicates and references', () => {
  it('duplicate-interaction: a row that repeats an earlier row exactly', async () => {
    const file = interactionsWith('dup-rows.csv', [clean[5]!, clean[5]!.replace('mobile', 'tv'), clean[7]!]);
    expect(firing(await validate({ interactions: file }), 'duplicate-interaction')).toEqual({
      severity: 'warning',
      count: 2,
      at: [
        [appendedLine(0), 0],
        [appendedLine(2), 0],
      ],
    });
  });

  it('duplicate-id: an ITEM_ID on more than one row', async () => {
    const items = cleanItemRows();
    const file = folder.write('dup-items.csv', [
      HEADERS.items,
      ...items,
      items[3]!,
      items[3]!.replace('brand', 'other'),
    ]);
    expect(firing(await validate({ items: file }), 'duplicate-id')).toEqual({
      severity: 'error',
      count: 2,
      at: [
        [items.length + 2, 1],
        [items.length + 3, 1],
      ],
    });
  });

  it('unknown-user and unknown-item: interactions naming ids missing from their files', async () => {
    const interactions = interactionsWith('refs.csv', [
      'u99,i1,1700000000,click,,',
      'u1,i99,1700000000,click,,',
    ]);
    const users = folder.write('refs-users.csv', [HEADERS.users, ...cleanUserRows()]);
    const items = folder.write('refs-items.csv', [HEADERS.items, ...cleanItemRows()]);
    const report = await validate({ interactions, users, items });
    expect(firing(report, 'unknown-user')).toEqual({
      severity: 'warning',
      count: 1,
      at: [[appendedLine(0), 1]],
    });
    expect(firing(report, 'unknown-item')).toEqual({
      severity: 'warning',
      count: 1,
      at: [[appendedLine(1), 2]],
    });
  });
});

describe('Rules: training minimums', () => {
  it('min-interactions: fewer than 1000 interactions', async () => {
    const fewer = folder.write('999.csv', [HEADERS.interactions, ...clean.slice(0, 999)]);
    const enough = folder.write('1000.csv', [HEADERS.interactions, ...clean.slice(0, 1000)]);
    expect(firing(await validate({ interactions: fewer }), 'min-interactions')).toEqual({
      severity: 'error',
      count: 1,
      at: [[0, 0]],
    });
    expect((await validate({ interactions: enough })).ok).toBe(true);
  });

  it('min-active-users: fewer than 25 users with 2 interactions', async () => {
    const rows = [
      ...Array.from({ length: 48 }, (_, k) => `a${k % 24},i1,${1_700_000_000 + k},click,,`),
      ...Array.from({ length: 952 }, (_, k) => `s${k},i1,1700000000,click,,`),
    ];
    const report = await validate({
      interactions: folder.write('active.csv', [HEADERS.interactions, ...rows]),
    });
    expect(firing(report, 'min-active-users')).toEqual({ severity: 'error', count: 1, at: [[0, 0]] });
    expect(ruleOf(report, 'min-active-users').examples[0]!.message).toContain('24 users');
    expect(report.interactions).toMatchObject({ distinctUsers: 976, activeUsers: 24 });
  });

  it('active-user-share: fewer than 1% of users with 2 interactions', async () => {
    const rows = [
      ...Array.from({ length: 50 }, (_, k) => `a${k % 25},i1,${1_700_000_000 + k},click,,`),
      ...Array.from({ length: 2600 }, (_, k) => `s${k},i1,1700000000,click,,`),
    ];
    const report = await validate({
      interactions: folder.write('share.csv', [HEADERS.interactions, ...rows]),
    });
    expect(firing(report, 'active-user-share')).toEqual({ severity: 'error', count: 1, at: [[0, 0]] });
    expect(report.rules.map((r) => r.rule)).not.toContain('min-active-users');
  });

  it('event-type-count: event types plus metadata columns above 10', async () => {
    // Prepare: DEVICE is the one metadata column, so 9 event types fit and 10 do not
    const types = (n: number) => clean.map((row, k) => row.replace(/,(click|purchase),/, `,t${k % n},`));
    const nine = folder.write('types9.csv', [HEADERS.interactions, ...types(9)]);
    const ten = folder.write('types10.csv', [HEADERS.interactions, ...types(10)]);

    // Act
    const report = await validate({ interactions: ten });

    // Assess
    expect(firing(report, 'event-type-count')).toEqual({ severity: 'error', count: 1, at: [[0, 4]] });
    expect((await validate({ interactions: nine })).ok).toBe(true);
  });

  it('event-type-distribution: rows per event type, as info', async () => {
    const report = await validate({ interactions: interactionsWith('dist.csv', []) });
    expect(firing(report, 'event-type-distribution')).toEqual({ severity: 'info', count: 1, at: [[0, 4]] });
  });
});
