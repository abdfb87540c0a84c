import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../../src/errors.ts';
import { englishMessages } from '../../src/recommender/zod-english.ts';
import { DEFAULT_CONFIG, STAGE_OVERRIDES } from './default.ts';
import { nameIssues } from './name-limits.ts';
import { type AppConfig, configSchema } from './schema.ts';
import { schemaFileIssues } from './schema-files.ts';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `override` into `base` key by key; arrays and scalars in `override` replace the base value. */
export function deepMerge(base: Json, override: Json): Json {
  const merged: Json = structuredClone(base);
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isObject(current) && isObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

/**
 * Validates a raw configuration, reading the schema files it names; every problem is reported at once, each
 * naming its key.
 */
export function parseConfig(raw: unknown): AppConfig {
  // Most checks carry no message of their own: zod words them ("Too small: expected number to be >=1").
  const parsed = configSchema.safeParse(raw, { error: englishMessages });
  if (parsed.success) {
    const issues = [...nameIssues(parsed.data), ...schemaFileIssues(parsed.data)];
    if (issues.length > 0) throw new InvalidInputError(issues);
    return parsed.data;
  }
  throw new InvalidInputError(
    parsed.error.issues.map((issue) => ({
      field: ['config', ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}

export interface LoadConfigOptions {
  /** Stage name; selects STAGE_OVERRIDES[stage]. @default 'dev' */
  readonly stage?: string;
  /** JSON file merged over the stage's configuration. */
  readonly file?: string;
}

/** The default configuration, then the stage's overrides, then the optional file, validated once. */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const stage = options.stage ?? 'dev';
  const stageOverride = STAGE_OVERRIDES[stage] ?? { stage };
  let raw = deepMerge(DEFAULT_CONFIG, stageOverride);
  if (options.file !== undefined) {
    let fileConfig: unknown;
    try {
      fileConfig = JSON.parse(readFileSync(options.file, 'utf8'));
    } catch (error) {
      throw new InvalidInputError(
        [{ field: 'config', message: `cannot read ${options.file}: ${(error as Error).message}` }],
        {
          cause: error,
        },
      );
    }
    if (!isObject(fileConfig)) {
      throw new InvalidInputError([{ field: 'config', message: `${options.file} must hold a JSON object` }]);
    }
    raw = deepMerge(raw, fileConfig);
  }
  return parseConfig(raw);
}
