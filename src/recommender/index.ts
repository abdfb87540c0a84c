export * from './limits.ts';
export * from './recommendation-id.ts';
export * from './types.ts';
export * from './validate.ts';
