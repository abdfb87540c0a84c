export { renderText } from './render-text.ts';
export { DATA_LIMITS, DATA_RULES, type DataRuleId } from './rule-catalog.ts';
export type * from './types.ts';
export { validateDatasets } from './validate-datasets.ts';
