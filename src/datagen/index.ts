export { COLUMNS } from './columns.ts';
export { type GeneratedDataset, generateDataset } from './generate.ts';
export { GENERATE_LIMITS, type GenerateOptions } from './options.ts';
