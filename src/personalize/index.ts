export * from './config.ts';
export * from './errors.ts';
export * from './personalize-recommender.ts';
export * from './retry.ts';
