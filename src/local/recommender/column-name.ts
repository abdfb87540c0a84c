/** Record property keys are camelCase; dataset columns are UPPER_SNAKE (`creationTimestamp` → `CREATION_TIMESTAMP`). */
export function toColumnName(key: string): string {
  return key.replace(/([a-z\d])([A-Z])/g, '$1_$2').toUpperCase();
}
