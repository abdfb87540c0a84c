/**
 * Typed readers of the Lambda's environment. Values are trimmed; an empty value counts as unset; a bad value
 * throws at initialisation with the variable's name, so a misconfigured function fails loudly at deploy.
 */

type Env = Readonly<Record<string, string | undefined>>;

export function optionalString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function requiredString(env: Env, name: string): string {
  const value = optionalString(env, name);
  if (value === undefined) throw new Error(`environment variable ${name} is required`);
  return value;
}

export function positiveInteger(env: Env, name: string, defaultValue: number): number {
  const value = optionalString(env, name);
  if (value === undefined) return defaultValue;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new Error(`environment variable ${name} must be a positive integer, got "${value}"`);
  }
  return parsed;
}

/** A JSON object of strings, e.g. `PERSONALIZE_FILTERS={"category":"arn:aws:personalize:…:filter/category"}`. */
export function stringRecord(env: Env, name: string): Record<string, string> {
  const value = optionalString(env, name);
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const isRecord =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((v) => typeof v === 'string');
  if (!isRecord) throw new Error(`environment variable ${name} must be a JSON object of strings`);
  return parsed as Record<string, string>;
}
