export * from './load.ts';
export * from './rules.ts';
export * from './types.ts';
