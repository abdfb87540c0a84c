/**
 * The one reader of every Lambda's environment (and of the scripts that share a Lambda's setup). Names come
 * from `src/config/lambda-env.ts`, which the stacks use too. Values are trimmed; an empty value counts as
 * unset; a bad value throws ConfigError at initialisation naming the variable and what it must hold, so a
 * misconfigured function fails loudly at deploy.
 */
import { isSqsQueueUrl, SQS_QUEUE_URL_RULE } from '../../src/aws/sqs-queue-url.ts';
import type { LambdaEnvName } from '../../src/config/lambda-env.ts';
import { ConfigError } from '../../src/errors.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export function optionalString(env: Env, name: LambdaEnvName): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function requiredString(env: Env, name: LambdaEnvName): string {
  const value = optionalString(env, name);
  if (value === undefined) throw new ConfigError(name, 'is required');
  return value;
}

/** An SQS queue URL, e.g. `EVENTS_DLQ_URL`: a malformed one fails here, before a client calls AWS with it. */
export function requiredQueueUrl(env: Env, name: LambdaEnvName): string {
  const value = requiredString(env, name);
  if (!isSqsQueueUrl(value)) throw new ConfigError(name, SQS_QUEUE_URL_RULE, value);
  return value;
}

export function positiveInteger(env: Env, name: LambdaEnvName, defaultValue: number): number {
  const value = optionalString(env, name);
  if (value === undefined) return defaultValue;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new ConfigError(name, 'must be a positive integer', value);
  return parsed;
}

/** One of a fixed list of values, e.g. `IMPORT_MODE=FULL`. */
export function requiredChoice<const T extends string>(
  env: Env,
  name: LambdaEnvName,
  choices: readonly T[],
): T {
  const value = requiredString(env, name);
  const choice = choices.find((c) => c === value);
  if (choice === undefined) throw new ConfigError(name, `must be one of ${choices.join(', ')}`, value);
  return choice;
}

/** A JSON object of strings, e.g. `PERSONALIZE_FILTER_ARNS={"category":"arn:aws:personalize:…:filter/category"}`. */
export function stringRecord(env: Env, name: LambdaEnvName): Record<string, string> {
  const value = optionalString(env, name);
  return value === undefined ? {} : parseStringRecord(name, value);
}

/**
 * A required JSON object of strings whose keys are among `keys`, e.g. `SCHEMA_ARNS={"interactions":"arn:…"}`;
 * an unknown key is an error (a typo would otherwise be dropped silently).
 */
export function requiredKeyedRecord<const K extends string>(
  env: Env,
  name: LambdaEnvName,
  keys: readonly K[],
): Partial<Record<K, string>> {
  const parsed = parseStringRecord(name, requiredString(env, name));
  const unknown = Object.keys(parsed).filter((key) => !keys.some((k) => k === key));
  if (unknown.length > 0) {
    throw new ConfigError(name, `must have keys among ${keys.join(', ')} (unknown: ${unknown.join(', ')})`);
  }
  const record: Partial<Record<K, string>> = {};
  for (const key of keys) if (parsed[key] !== undefined) record[key] = parsed[key];
  return record;
}

function parseStringRecord(name: LambdaEnvName, value: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(name, 'must be a JSON object of strings');
  }
  const record: Record<string, string> = {};
  for (const [key, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') throw new ConfigError(name, 'must be a JSON object of strings');
    record[key] = v;
  }
  return record;
}
