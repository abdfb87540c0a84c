import type { PersonalizeClient } from '@aws-sdk/client-personalize';
import * as personalizeSdk from '@aws-sdk/client-personalize';

type Json = Record<string, unknown>;

/** `arn:aws:states:::aws-sdk:personalize:createDatasetImportJob` → `createDatasetImportJob`. */
const PERSONALIZE_TASK = /^arn:aws:states:::aws-sdk:personalize:([a-z][A-Za-z]+)$/;

/**
 * Members whose value is a string map (metric names, hyperparameter names, filter placeholders): their keys are
 * data, so Step Functions passes them through as they are, where every other member name changes case.
 */
const MAP_MEMBERS = new Set([
  'metrics',
  'algorithmHyperParameters',
  'featureTransformationParameters',
  'itemExplorationConfig',
  'filterValues',
  'tags',
]);

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
const upperFirst = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * Renames every member of a structure with `rename`, recursively, except the keys inside string maps.
 * Dates become ISO strings, as state output is JSON.
 */
function recase(value: unknown, rename: (name: string) => string): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => recase(v, rename));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '$metadata')
      .map(([key, member]) => {
        const sdkName = lowerFirst(key);
        return [rename(key), MAP_MEMBERS.has(sdkName) ? member : recase(member, rename)];
      }),
  );
}

/** Whether a Task's Resource is an `aws-sdk:personalize:*` integration the forwarder serves. */
export const isPersonalizeTask = (resource: string): boolean => PERSONALIZE_TASK.test(resource);

/**
 * What Step Functions' AWS SDK integration does for one `aws-sdk:personalize:<action>` Task, done with the real
 * `@aws-sdk/client-personalize`: the Task's PascalCase parameters become the command's camelCase input, the
 * answer comes back PascalCase, and a service error becomes `Personalize.<ExceptionName>` (the name the state
 * machine's Retry and Catch match).
 */
export function personalizeTaskHandler(
  resource: string,
  client: PersonalizeClient,
): (input: unknown) => Promise<Json> {
  const action = PERSONALIZE_TASK.exec(resource)?.[1];
  if (action === undefined) throw new Error(`${resource} is not an aws-sdk:personalize Task resource`);
  const Command = (personalizeSdk as unknown as Record<string, new (input: unknown) => never>)[
    `${upperFirst(action)}Command`
  ];
  if (Command === undefined) throw new Error(`@aws-sdk/client-personalize has no command for ${action}`);
  return async (input) => {
    try {
      const output = await client.send(new Command(recase(input, lowerFirst)));
      return recase(output, upperFirst) as Json;
    } catch (error) {
      const { name, message } = error as Error;
      throw Object.assign(new Error(message), { name: `Personalize.${name}` });
    }
  };
}
