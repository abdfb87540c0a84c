export * from '../core/retry.ts';
export * from './config.ts';
export * from './errors.ts';
export * from './personalize-recommender.ts';
