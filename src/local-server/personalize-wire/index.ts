export * from './config.ts';
export * from './errors.ts';
export * from './handle.ts';
export * from './routes.ts';
