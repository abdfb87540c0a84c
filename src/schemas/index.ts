export * from './load.ts';
export * from './types.ts';
