import type { DatasetType } from '../schemas/types.ts';

/** Column order of each generated file; `test/datagen` checks it against the shipped `schemas/*.json`. */
export const COLUMNS: Readonly<Record<DatasetType, readonly string[]>> = {
  users: ['USER_ID', 'MEMBERSHIP', 'AGE_GROUP', 'REGION'],
  items: ['ITEM_ID', 'CATEGORY', 'TAGS', 'BRAND', 'PRICE', 'CREATION_TIMESTAMP', 'DESCRIPTION'],
  interactions: ['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE', 'EVENT_VALUE', 'DEVICE'],
};

export function headerRow(datasetType: DatasetType): string {
  return `${COLUMNS[datasetType].join(',')}\n`;
}
