import * as z from 'zod/mini';

export type JsonSchema = Record<string, unknown>;

/** Zod types JSON Schema cannot express; a schema of the API using one is a bug to fix, not to hide. */
const UNREPRESENTABLE = new Set([
  'bigint',
  'symbol',
  'void',
  'map',
  'set',
  'transform',
  'nan',
  'custom',
  'function',
]);

/** Stands for a member that JSON cannot carry; dropped from the unions holding it by `withoutImpossible`. */
const IMPOSSIBLE = { not: {} };

function jsonSafe(ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: JsonSchema }): void {
  const type = ctx.zodSchema._zod.def.type;
  if (UNREPRESENTABLE.has(type)) throw new Error(`a ${type} schema cannot be described in OpenAPI`);
  // The contract also takes a Date (sentAt) from TypeScript callers; over HTTP only its numeric form arrives.
  if (type === 'date') Object.assign(ctx.jsonSchema, IMPOSSIBLE);
}

function isImpossible(value: unknown): boolean {
  return JSON.stringify(value) === JSON.stringify(IMPOSSIBLE);
}

function withoutImpossible(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutImpossible);
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonSchema = {};
  for (const [key, member] of Object.entries(value)) out[key] = withoutImpossible(member);
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.some(isImpossible)) {
    const possible = anyOf.filter((member) => !isImpossible(member));
    delete out.anyOf;
    return possible.length === 1 ? { ...(possible[0] as JsonSchema), ...out } : { ...out, anyOf: possible };
  }
  return out;
}

/** A zod schema as JSON Schema (2020-12, as OpenAPI 3.1 uses), without the `$schema` dialect line. */
export function toJsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  const generated = z.toJSONSchema(schema, { io, unrepresentable: 'any', override: jsonSafe });
  const { $schema: _dialect, ...rest } = withoutImpossible(generated) as JsonSchema;
  return rest;
}
