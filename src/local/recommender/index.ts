export * from './filter-registry.ts';
export * from './local-recommender.ts';
export * from './popular-request.ts';
