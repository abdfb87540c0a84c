import type { FieldIssue } from '../../src/errors.ts';
import { resourceNames } from './names.ts';
import { type AppConfig, SOLUTION_KEYS } from './schema.ts';

/** Personalize's limit on every resource and job name (personalize-reference.md §1.5). */
export const PERSONALIZE_NAME_MAX = 63;
const PERSONALIZE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/;

/** The longest suffixes the workflows append at run time (see import-plan.ts and batch-workflow.ts). */
const IMPORT_JOB_SUFFIX = 'Interactions-20261231T235959';
const UUID = '00000000-0000-0000-0000-000000000000';

interface GeneratedName {
  readonly what: string;
  readonly name: string;
  /** The config key whose value makes the name too long when the project/stage do not. */
  readonly field: string;
}

/** Every Personalize name a deployment of `config` creates, at its longest. */
export function generatedNames(config: AppConfig): GeneratedName[] {
  const names = resourceNames(config);
  const project = 'project';
  const list: GeneratedName[] = [
    { what: 'dataset group', name: names.datasetGroup, field: project },
    { what: 'event tracker', name: names.eventTracker, field: project },
    { what: 'import job', name: `${names.stackPrefix}-${IMPORT_JOB_SUFFIX}`, field: project },
  ];
  for (const key of ['interactions', 'items', 'users'] as const) {
    if (config.schemaFiles[key] === undefined) continue;
    list.push({ what: `${key} schema`, name: names.schema(key, ''), field: project });
    list.push({ what: `${key} dataset`, name: names.dataset(key), field: project });
  }
  for (const key of SOLUTION_KEYS) {
    if (config.solutions[key] === undefined) continue;
    list.push({ what: `${key} solution`, name: names.solution(key), field: project });
    list.push({ what: `${key} campaign`, name: names.campaign(key), field: project });
  }
  config.filters.forEach((filter, i) => {
    list.push({
      what: `filter '${filter.name}'`,
      name: names.filter(filter.name, filter.expression),
      field: `filters.${i}.name`,
    });
  });

  if (config.batch.enabled)
    list.push({ what: 'batch inference job', name: `${names.stackPrefix}-${UUID}`, field: project });
  return list;
}

/**
 * Names longer than Personalize allows pass synth and fail at deploy, hours into a rollout: each becomes an
 * issue that names the config key to shorten and by how much.
 */
export function nameIssues(config: AppConfig): FieldIssue[] {
  return generatedNames(config).flatMap(({ what, name, field }) => {
    if (name.length <= PERSONALIZE_NAME_MAX && PERSONALIZE_NAME.test(name)) return [];
    const over = name.length - PERSONALIZE_NAME_MAX;
    return [
      {
        field: `config.${field}`,
        message:
          over > 0
            ? `makes the ${what} name '${name}' ${name.length} characters long; Personalize allows ${PERSONALIZE_NAME_MAX}: shorten it by ${over}`
            : `makes the ${what} name '${name}', which Personalize refuses (letters, digits, '-' and '_', starting with a letter or digit)`,
      },
    ];
  });
}
