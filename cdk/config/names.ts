import { createHash } from 'node:crypto';
import type { AppConfig, SolutionKey } from './schema.ts';

const KEBAB: Record<SolutionKey, string> = {
  userPersonalization: 'user-personalization',
  similarItems: 'sims',
  personalizedRanking: 'ranking',
};

/** Short content hash, so that a changed immutable resource gets a new name (CloudFormation creates before it deletes). */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8);
}

/** Every deterministic name of a deployment: `<project>-<what>-<stage>`. */
export function resourceNames(config: AppConfig) {
  const name = (what: string) => `${config.project}-${what}-${config.stage}`;
  return {
    stackPrefix: `${config.project}-${config.stage}`,
    datasetGroup: name('dsg'),
    schema: (datasetType: string, avro: string) => name(`${datasetType}-${contentHash(avro)}`),
    dataset: (datasetType: string) => name(datasetType),
    /** Solution names carry a hash of their settings: any change replaces the solution (see README). */
    solution: (key: SolutionKey) => {
      const { campaign: _, performAutoTraining: __, ...trained } = config.solutions[key] ?? {};
      return `${name(KEBAB[key])}-${contentHash(trained)}`;
    },
    /** Campaigns are created by the training workflow under these fixed names, so their ARNs are known at synth. */
    campaign: (key: SolutionKey) => name(KEBAB[key]),
    eventTracker: name('tracker'),
    /** The events stream and the feature table: the events stack finds them by these names (no export). */
    eventStream: name('events'),
    featureTable: name('features'),
    /**
     * Filter names carry a hash of the expression: an edited expression replaces the filter (every filter
     * property is immutable), and CloudFormation creates the new one before it deletes the old.
     */
    filter: (filterName: string, expression: string) => name(`${filterName}-${contentHash(expression)}`),
  };
}

export type ResourceNames = ReturnType<typeof resourceNames>;
