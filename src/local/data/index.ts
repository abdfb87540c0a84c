export * from './from-rows.ts';
export * from './load.ts';
export { splitCategorical } from './metadata.ts';
export * from './types.ts';
