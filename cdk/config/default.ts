/**
 * The configuration `npx cdk synth` uses with no context: a dev deployment of the three default recipes.
 * `-c stage=prod` layers STAGE_OVERRIDES.prod on top; `-c config=<file.json>` layers a file on top of both.
 */
export const DEFAULT_CONFIG = {
  project: 'personalize',
  stage: 'dev',
  schemaFiles: {
    interactions: 'schemas/interactions.json',
    items: 'schemas/items.json',
    users: 'schemas/users.json',
  },
  solutions: {
    userPersonalization: {
      recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization',
      performHpo: false,
      performAutoTraining: false,
      algorithmHyperParameters: { hidden_dimension: '149', bptt: '32', recency_mask: 'true' },
      featureTransformationParameters: {},
      campaign: { minProvisionedTps: 1 },
    },
    similarItems: {
      recipeArn: 'arn:aws:personalize:::recipe/aws-sims',
      performHpo: false,
      performAutoTraining: false,
      algorithmHyperParameters: { popularity_discount_factor: '0.5', min_cointeraction_count: '3' },
      featureTransformationParameters: {},
      campaign: { minProvisionedTps: 1 },
    },
    personalizedRanking: {
      recipeArn: 'arn:aws:personalize:::recipe/aws-personalized-ranking',
      performHpo: false,
      performAutoTraining: false,
      algorithmHyperParameters: {},
      featureTransformationParameters: {},
      campaign: { minProvisionedTps: 1 },
    },
  },
  filters: [
    { name: 'exclude-purchased', expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")' },
    { name: 'category', expression: 'INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)' },
  ],
  training: {
    importPrefix: 'import/',
    importMode: 'FULL',
    importSchedule: null,
    retrainSchedule: 'rate(7 days)',
    retrainDataPrefix: null,
    maxDatasetGiB: 2,
    metricGate: { metricName: 'normalized_discounted_cumulative_gain_at_10', tolerance: 0.005 },
  },
  batch: {
    enabled: false,
    schedule: 'rate(7 days)',
    solution: 'userPersonalization',
    inputFile: 'users.jsonl',
    numResults: 25,
  },
  serving: {
    throttle: { rateLimit: 50, burstLimit: 100 },
    dailyQuota: 100_000,
    onlineStoreTtlDays: 30,
    eventStream: { mode: 'ON_DEMAND' },
    fallbackRateAlarm: 0.2,
    allowOrigin: '*',
  },
  logRetentionDays: 30,
  dataRetention: 'DESTROY',
  tags: { project: 'personalize-toolkit' },
};

/** Per-stage differences from DEFAULT_CONFIG, merged key by key (arrays are replaced). */
export const STAGE_OVERRIDES: Readonly<Record<string, Record<string, unknown>>> = {
  dev: {},
  prod: {
    stage: 'prod',
    solutions: {
      userPersonalization: { campaign: { minProvisionedTps: 5 } },
      similarItems: { campaign: { minProvisionedTps: 2 } },
      personalizedRanking: { campaign: { minProvisionedTps: 2 } },
    },
    training: { importMode: 'INCREMENTAL' },
    serving: { throttle: { rateLimit: 500, burstLimit: 1000 }, dailyQuota: 5_000_000 },
    logRetentionDays: 365,
    dataRetention: 'RETAIN',
  },
};
