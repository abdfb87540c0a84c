import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.ts';
import {
  assertSchemaRules,
  checkSchemaRules,
  DATASET_TYPES,
  type DatasetSchema,
  type DatasetType,
  loadSchemas,
  parseSchema,
  type SchemaRuleId,
} from '../../src/schemas/index.ts';

const RECORD_NAMES = { interactions: 'Interactions', items: 'Items', users: 'Users' } as const;

/** Parses a schema through avsc (as loadSchemas does) from its fields. */
function schema(type: DatasetType, fields: object[], name: string = RECORD_NAMES[type]): DatasetSchema {
  return parseSchema(
    type,
    JSON.stringify({ type: 'record', name, namespace: 'com.amazonaws.personalize.schema', fields }),
  );
}

const INTERACTION_BASE = [
  { name: 'USER_ID', type: 'string' },
  { name: 'ITEM_ID', type: 'string' },
  { name: 'TIMESTAMP', type: 'long' },
];

function rulesOf(s: DatasetSchema): SchemaRuleId[] {
  return checkSchemaRules(s).map((i) => i.rule);
}

describe('Function: checkSchemaRules', () => {
  it.each(DATASET_TYPES)('accepts the shipped %s schema', (type) => {
    // Prepare: loadSchemas parses every file with avsc
    const schemas = loadSchemas();

    // Act + Assess
    expect(checkSchemaRules(schemas[type])).toEqual([]);
    expect(() => assertSchemaRules(schemas[type])).not.toThrow();
  });

  it('fails a record name that does not match the dataset type', () => {
    const issues = checkSchemaRules(schema('interactions', INTERACTION_BASE, 'Events'));
    expect(issues).toEqual([
      expect.objectContaining({ rule: 'schema-record-name', field: 'name', severity: 'error' }),
    ]);
  });

  it('fails a nested (non-primitive) field type', () => {
    // Prepare: avsc would accept this, but parseSchema refuses it, so build the parsed form by hand
    const base = schema('users', [
      { name: 'USER_ID', type: 'string' },
      { name: 'TAGS', type: 'string', categorical: true },
    ]);
    const nested: DatasetSchema = {
      ...base,
      avro: JSON.stringify({
        type: 'record',
        name: 'Users',
        fields: [
          { name: 'USER_ID', type: 'string' },
          { name: 'TAGS', type: { type: 'array', items: 'string' } },
        ],
      }),
    };

    // Act + Assess
    expect(checkSchemaRules(nested)).toEqual([
      expect.objectContaining({ rule: 'schema-flat-type', field: 'TAGS', severity: 'error' }),
    ]);
  });

  it.each([
    ['missing', INTERACTION_BASE.filter((f) => f.name !== 'TIMESTAMP'), 'TIMESTAMP'],
    ['of the wrong type', [...INTERACTION_BASE.slice(0, 2), { name: 'TIMESTAMP', type: 'int' }], 'TIMESTAMP'],
    ['nullable', [{ name: 'USER_ID', type: ['null', 'string'] }, ...INTERACTION_BASE.slice(1)], 'USER_ID'],
  ])('fails a required interactions field that is %s', (_case, fields, field) => {
    expect(checkSchemaRules(schema('interactions', fields))).toEqual([
      expect.objectContaining({ rule: 'schema-required-field', field, severity: 'error' }),
    ]);
  });

  it('fails items and users schemas without ITEM_ID / USER_ID', () => {
    const items = schema('items', [{ name: 'PRICE', type: 'float' }]);
    const users = schema('users', [{ name: 'AGE', type: 'int' }]);
    expect(checkSchemaRules(items)).toEqual([
      expect.objectContaining({ rule: 'schema-required-field', field: 'ITEM_ID' }),
    ]);
    expect(checkSchemaRules(users)).toEqual([
      expect.objectContaining({ rule: 'schema-required-field', field: 'USER_ID' }),
    ]);
  });

  it.each([
    ['EVENT_TYPE categorical', { name: 'EVENT_TYPE', type: 'string', categorical: true }, 'EVENT_TYPE'],
    ['EVENT_VALUE as a string', { name: 'EVENT_VALUE', type: ['null', 'string'] }, 'EVENT_VALUE'],
    ['IMPRESSION as a long', { name: 'IMPRESSION', type: 'long' }, 'IMPRESSION'],
    ['RECOMMENDATION_ID as an int', { name: 'RECOMMENDATION_ID', type: 'int' }, 'RECOMMENDATION_ID'],
    [
      'EVENT_ATTRIBUTION_SOURCE as a boolean',
      { name: 'EVENT_ATTRIBUTION_SOURCE', type: 'boolean' },
      'EVENT_ATTRIBUTION_SOURCE',
    ],
  ])('fails reserved field %s', (_case, field, name) => {
    expect(checkSchemaRules(schema('interactions', [...INTERACTION_BASE, field]))).toEqual([
      expect.objectContaining({ rule: 'schema-reserved-field', field: name, severity: 'error' }),
    ]);
  });

  it('fails CREATION_TIMESTAMP that is not a long', () => {
    const items = schema('items', [
      { name: 'ITEM_ID', type: 'string' },
      { name: 'CREATION_TIMESTAMP', type: 'double' },
      { name: 'PRICE', type: 'float' },
    ]);
    expect(rulesOf(items)).toEqual(['schema-reserved-field']);
  });

  it('fails items and users schemas without a metadata field', () => {
    expect(rulesOf(schema('items', [{ name: 'ITEM_ID', type: 'string' }]))).toEqual(['schema-min-metadata']);
    expect(rulesOf(schema('users', [{ name: 'USER_ID', type: 'string' }]))).toEqual(['schema-min-metadata']);
  });

  it.each([
    ['interactions', 5, INTERACTION_BASE],
    ['users', 25, [{ name: 'USER_ID', type: 'string' }]],
    ['items', 100, [{ name: 'ITEM_ID', type: 'string' }]],
  ] as const)('fails %s with more than %i metadata fields', (type, max, base) => {
    // Prepare
    const extra = (n: number) => Array.from({ length: n }, (_, k) => ({ name: `M${k}`, type: 'int' }));

    // Act + Assess
    expect(rulesOf(schema(type, [...base, ...extra(max)]))).toEqual([]);
    const issues = checkSchemaRules(schema(type, [...base, ...extra(max + 1)]));
    expect(issues).toEqual([expect.objectContaining({ rule: 'schema-metadata-count', field: 'fields' })]);
    expect(issues[0]!.message).toContain(`at most ${max}`);
  });

  it('fails field names that clash once non-alphanumerics are removed', () => {
    const users = schema('users', [
      { name: 'USER_ID', type: 'string' },
      { name: 'GENRES_FIELD_1', type: 'int' },
      { name: 'GENRESFIELD1', type: 'int' },
    ]);
    expect(checkSchemaRules(users)).toEqual([
      expect.objectContaining({ rule: 'schema-name-clash', field: 'GENRESFIELD1' }),
    ]);
  });

  it('fails more than one textual field in items', () => {
    const items = schema('items', [
      { name: 'ITEM_ID', type: 'string' },
      { name: 'TITLE', type: 'string', textual: true },
      { name: 'DESCRIPTION', type: 'string', textual: true },
    ]);
    expect(rulesOf(items)).toEqual(['schema-textual-count']);
  });

  it('fails categorical on a number and textual outside items', () => {
    const users = schema('users', [
      { name: 'USER_ID', type: 'string' },
      { name: 'AGE', type: 'int', categorical: true },
      { name: 'BIO', type: 'string', textual: true },
    ]);
    expect(checkSchemaRules(users)).toEqual([
      expect.objectContaining({ rule: 'schema-attribute-type', field: 'AGE' }),
      expect.objectContaining({ rule: 'schema-attribute-type', field: 'BIO' }),
    ]);
  });

  it('warns that a plain string metadata field is ignored', () => {
    const users = schema('users', [
      { name: 'USER_ID', type: 'string' },
      { name: 'NICKNAME', type: 'string' },
    ]);
    const issues = checkSchemaRules(users);
    expect(issues).toEqual([
      expect.objectContaining({ rule: 'schema-ignored-string', field: 'NICKNAME', severity: 'warning' }),
    ]);
    expect(() => assertSchemaRules(users)).not.toThrow();
  });
});

describe('Function: assertSchemaRules', () => {
  it('throws InvalidInputError naming every broken rule', () => {
    const bad = schema('items', [{ name: 'ITEM_ID', type: ['null', 'string'] }], 'Things');
    const error = (() => {
      try {
        assertSchemaRules(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues.map((i) => i.field)).toEqual([
      'items.name',
      'items.ITEM_ID',
      'items.fields',
    ]);
  });
});
