export { DynamoDbFeatureStore, type DynamoDbFeatureStoreOptions } from './dynamodb-feature-store.ts';
export {
  MemoryFeatureStore,
  type MemoryFeatureStoreOptions,
  type ScoredItem,
} from './memory-feature-store.ts';
export * from './read-api.ts';
export * from './types.ts';
