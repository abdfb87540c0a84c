export * from './bloom-filter.ts';
export * from './lru-map.ts';
export * from './recent-set.ts';
export * from './user-recent-sets.ts';
