export * from './request-id.ts';
export * from './response.ts';
export * from './router.ts';
export * from './schemas.ts';
export * from './status.ts';
