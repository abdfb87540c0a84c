export * from './config.ts';
export * from './errors.ts';
export * from './handle.ts';
export type { CampaignKind, CampaignTarget, WireTargets } from './operations.ts';
export { staticTargets } from './operations.ts';
export * from './routes.ts';
