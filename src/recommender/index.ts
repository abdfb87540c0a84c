export * from './limits.ts';
export * from './recommendation-id.ts';
export * from './request-validation.ts';
export * from './types.ts';
