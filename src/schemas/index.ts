export * from './load.ts';
export * from './replacement.ts';
export * from './rules.ts';
export * from './types.ts';
