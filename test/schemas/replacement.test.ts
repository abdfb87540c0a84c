import { describe, expect, it } from 'vitest';
import {
  type DatasetSchema,
  type DatasetType,
  parseSchema,
  schemaReplacementIssues,
} from '../../src/schemas/index.ts';

const NAMES = { interactions: 'Interactions', items: 'Items', users: 'Users' } as const;

function schema(type: DatasetType, fields: object[]): DatasetSchema {
  return parseSchema(
    type,
    JSON.stringify({
      type: 'record',
      name: NAMES[type],
      namespace: 'com.amazonaws.personalize.schema',
      fields,
    }),
  );
}

const USERS = [
  { name: 'USER_ID', type: 'string' },
  { name: 'SEGMENT', type: 'string', categorical: true },
  { name: 'AGE', type: ['null', 'int'] },
];

describe('Function: schemaReplacementIssues', () => {
  it('allows a schema that keeps every field and adds nullable ones', () => {
    const wider = [...USERS, { name: 'PLAN', type: ['null', 'string'], categorical: true }];
    expect(schemaReplacementIssues(schema('users', USERS), schema('users', wider))).toEqual([]);
  });

  it('names each dropped, changed or non-nullable added field', () => {
    const next = [
      { name: 'USER_ID', type: 'string' },
      { name: 'SEGMENT', type: 'string' }, // categorical dropped
      { name: 'PLAN', type: 'string', categorical: true }, // new, not nullable
    ];
    expect(schemaReplacementIssues(schema('users', USERS), schema('users', next))).toEqual([
      { field: 'schemaArn', message: expect.stringMatching(/^changes the field SEGMENT .*categorical/) },
      { field: 'schemaArn', message: 'drops the field AGE; a new schema keeps every field' },
      { field: 'schemaArn', message: 'adds the field PLAN, which must accept null' },
    ]);
  });

  it('refuses any replacement of an Interactions schema', () => {
    const fields = [
      { name: 'USER_ID', type: 'string' },
      { name: 'ITEM_ID', type: 'string' },
      { name: 'TIMESTAMP', type: 'long' },
    ];
    const wider = [...fields, { name: 'DEVICE', type: ['null', 'string'], categorical: true }];
    expect(schemaReplacementIssues(schema('interactions', fields), schema('interactions', wider))).toEqual([
      { field: 'datasetArn', message: expect.stringContaining('Interactions dataset cannot be replaced') },
    ]);
  });
});
