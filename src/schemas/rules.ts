/**
 * Personalize's rules for custom dataset schemas (personalize-reference.md §3.1–3.2), checked before a
 * schema is sent to CreateSchema or used to validate data. avsc only checks the Avro grammar; these are the
 * service's own extra rules.
 */
import { type FieldIssue, InvalidInputError } from '../errors.ts';
import type { DatasetSchema, DatasetType, FieldSpec, FieldType } from './types.ts';

export type SchemaRuleId =
  | 'schema-record-name'
  | 'schema-flat-type'
  | 'schema-required-field'
  | 'schema-reserved-field'
  | 'schema-min-metadata'
  | 'schema-metadata-count'
  | 'schema-name-clash'
  | 'schema-attribute-type'
  | 'schema-textual-count'
  | 'schema-ignored-string';

/** A schema problem: errors make Personalize reject the schema, warnings flag data it would ignore. */
export interface SchemaIssue extends FieldIssue {
  readonly rule: SchemaRuleId;
  readonly severity: 'error' | 'warning';
}

interface ReservedField {
  readonly type: FieldType;
  /** Required fields must be present and not nullable. */
  readonly required: boolean;
  readonly categorical?: 'forbidden';
}

/** Required and reserved fields per dataset type, with the Avro type Personalize expects. */
export const RESERVED_FIELDS: Readonly<Record<DatasetType, Readonly<Record<string, ReservedField>>>> = {
  interactions: {
    USER_ID: { type: 'string', required: true },
    ITEM_ID: { type: 'string', required: true },
    TIMESTAMP: { type: 'long', required: true },
    EVENT_TYPE: { type: 'string', required: false, categorical: 'forbidden' },
    EVENT_VALUE: { type: 'float', required: false },
    IMPRESSION: { type: 'string', required: false },
    RECOMMENDATION_ID: { type: 'string', required: false },
    EVENT_ATTRIBUTION_SOURCE: { type: 'string', required: false },
  },
  items: {
    ITEM_ID: { type: 'string', required: true },
    CREATION_TIMESTAMP: { type: 'long', required: false },
  },
  users: {
    USER_ID: { type: 'string', required: true },
  },
};

/** Most metadata (non-reserved) fields a dataset type accepts; Items and Users need at least one. */
export const METADATA_LIMITS: Readonly<Record<DatasetType, { min: number; max: number }>> = {
  interactions: { min: 0, max: 5 },
  items: { min: 1, max: 100 },
  users: { min: 1, max: 25 },
};

const RECORD_NAMES: Readonly<Record<DatasetType, string>> = {
  interactions: 'Interactions',
  items: 'Items',
  users: 'Users',
};

const MAX_TEXTUAL_FIELDS = 1;
const PRIMITIVES = new Set(['string', 'int', 'long', 'float', 'double', 'boolean']);

function issue(
  rule: SchemaRuleId,
  severity: SchemaIssue['severity'],
  field: string,
  message: string,
): SchemaIssue {
  return { rule, severity, field, message };
}

/** Avro types of the fields as written, to catch nested types even in a hand-built DatasetSchema. */
function avroFieldTypes(schema: DatasetSchema): ReadonlyMap<string, unknown> {
  try {
    const json = JSON.parse(schema.avro) as { fields?: { name: string; type: unknown }[] };
    return new Map((json.fields ?? []).map((f) => [f.name, f.type]));
  } catch {
    return new Map();
  }
}

function isFlat(avroType: unknown): boolean {
  const members = Array.isArray(avroType) ? avroType : [avroType];
  const nonNull = members.filter((m) => m !== 'null');
  return nonNull.length === 1 && typeof nonNull[0] === 'string' && PRIMITIVES.has(nonNull[0]);
}

function checkReserved(schema: DatasetSchema, fields: ReadonlyMap<string, FieldSpec>): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  for (const [name, rule] of Object.entries(RESERVED_FIELDS[schema.datasetType])) {
    const field = fields.get(name);
    if (!field) {
      if (rule.required) {
        issues.push(
          issue(
            'schema-required-field',
            'error',
            name,
            `is required in ${schema.datasetType} (${rule.type})`,
          ),
        );
      }
      continue;
    }
    const id = rule.required ? 'schema-required-field' : 'schema-reserved-field';
    if (field.type !== rule.type) {
      issues.push(issue(id, 'error', name, `must have type "${rule.type}", got "${field.type}"`));
    }
    if (rule.required && field.nullable) {
      issues.push(issue(id, 'error', name, 'is required and cannot be nullable (no "null" in its type)'));
    }
    if (rule.categorical === 'forbidden' && field.categorical) {
      issues.push(issue(id, 'error', name, 'is a reserved string field and must not be categorical'));
    }
  }
  return issues;
}

function checkMetadata(schema: DatasetSchema, metadata: readonly FieldSpec[]): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const { min, max } = METADATA_LIMITS[schema.datasetType];
  if (metadata.length < min) {
    issues.push(
      issue(
        'schema-min-metadata',
        'error',
        'fields',
        `${schema.datasetType} needs at least ${min} metadata field besides the reserved ones`,
      ),
    );
  }
  if (metadata.length > max) {
    issues.push(
      issue(
        'schema-metadata-count',
        'error',
        'fields',
        `${schema.datasetType} allows at most ${max} metadata fields besides the reserved ones, got ${metadata.length}`,
      ),
    );
  }
  for (const field of metadata) {
    if (field.type !== 'string') continue;
    if (!field.categorical && !field.textual) {
      const allowed =
        schema.datasetType === 'items' ? '"categorical": true or "textual": true' : '"categorical": true';
      issues.push(
        issue(
          'schema-ignored-string',
          'warning',
          field.name,
          `string metadata field without ${allowed} is ignored in training`,
        ),
      );
    }
  }
  return issues;
}

function checkAttributes(schema: DatasetSchema): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  for (const field of schema.fields) {
    if ((field.categorical || field.textual) && field.type !== 'string') {
      issues.push(
        issue(
          'schema-attribute-type',
          'error',
          field.name,
          `"categorical" and "textual" apply to string fields only, got "${field.type}"`,
        ),
      );
    }
    if (field.textual && schema.datasetType !== 'items') {
      issues.push(issue('schema-attribute-type', 'error', field.name, '"textual" is allowed in items only'));
    }
    if (field.textual && field.categorical) {
      issues.push(
        issue('schema-attribute-type', 'error', field.name, 'cannot be both "categorical" and "textual"'),
      );
    }
  }
  const textual = schema.fields.filter((f) => f.textual);
  if (textual.length > MAX_TEXTUAL_FIELDS) {
    issues.push(
      issue(
        'schema-textual-count',
        'error',
        textual.map((f) => f.name).join(','),
        `at most ${MAX_TEXTUAL_FIELDS} textual field is allowed, got ${textual.length}`,
      ),
    );
  }
  return issues;
}

function checkNames(schema: DatasetSchema): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const seen = new Map<string, string>();
  for (const field of schema.fields) {
    const key = field.name.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
    const earlier = seen.get(key);
    if (earlier === undefined) {
      seen.set(key, field.name);
    } else {
      issues.push(
        issue(
          'schema-name-clash',
          'error',
          field.name,
          `clashes with "${earlier}": names must stay unique after removing non-alphanumeric characters`,
        ),
      );
    }
  }
  return issues;
}

/** Every rule broken by `schema`, errors and warnings, in a stable order. */
export function checkSchemaRules(schema: DatasetSchema): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const expectedName = RECORD_NAMES[schema.datasetType];
  if (schema.recordName !== expectedName) {
    issues.push(
      issue(
        'schema-record-name',
        'error',
        'name',
        `record name must be "${expectedName}" for the ${schema.datasetType} dataset, got "${schema.recordName}"`,
      ),
    );
  }
  for (const [name, avroType] of avroFieldTypes(schema)) {
    if (!isFlat(avroType)) {
      issues.push(
        issue(
          'schema-flat-type',
          'error',
          name,
          `type ${JSON.stringify(avroType)} is not allowed; use a primitive type, optionally in a union with "null"`,
        ),
      );
    }
  }
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const reserved = RESERVED_FIELDS[schema.datasetType];
  const metadata = schema.fields.filter((f) => !(f.name in reserved));
  issues.push(
    ...checkReserved(schema, byName),
    ...checkMetadata(schema, metadata),
    ...checkAttributes(schema),
    ...checkNames(schema),
  );
  return issues;
}

/** Throws InvalidInputError listing every error-level rule `schema` breaks; warnings do not throw. */
export function assertSchemaRules(schema: DatasetSchema): void {
  const errors = checkSchemaRules(schema).filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw new InvalidInputError(
      errors.map((i) => ({ field: `${schema.datasetType}.${i.field}`, message: `${i.message} (${i.rule})` })),
    );
  }
}
