import { InvalidInputError } from '../../src/errors.ts';

/** Reads a required environment variable set by the CDK stack; the error names the variable. */
export function requireEnv(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new InvalidInputError([{ field: `env.${name}`, message: 'must be set by the stack' }]);
  return value;
}

/** Reads a required environment variable holding a JSON object of strings. */
export function requireJsonEnv(name: string): Record<string, string> {
  const parsed: unknown = JSON.parse(requireEnv(name));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidInputError([{ field: `env.${name}`, message: 'must be a JSON object' }]);
  }
  return parsed as Record<string, string>;
}
