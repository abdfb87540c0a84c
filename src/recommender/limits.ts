/**
 * Input limits of Personalize Runtime and Events (service model bounds plus documented quotas), from
 * `shared/docs/personalize-reference.md` §1.2, §1.3 and §2. One table, used by every validator.
 */
export const LIMITS = {
  /** userId, itemId, sessionId, eventType, eventId, trackingId: 1..256 characters. */
  idLength: 256,
  numResults: { min: 1, max: 500, default: 25, maxWithMetadata: 50 },
  inputList: { min: 1, max: 500, maxWithMetadata: 50 },
  eventList: { min: 1, max: 10 },
  putRecords: { min: 1, max: 10 },
  recommendationIdLength: 40,
  impression: { min: 1, max: 25 },
  context: { maxEntries: 150, keyLength: 150, valueLength: 1000, keyPattern: /^[A-Za-z\d_]+$/ },
  filterValues: { maxEntries: 25, keyLength: 50, valueLength: 1000, keyPattern: /^[A-Za-z0-9_]+$/ },
  filterLength: 256,
  metadataColumns: { max: 10, nameLength: 150 },
  /** Serialized JSON length of `properties`. */
  propertiesLength: { event: 1024, item: 32_000, user: 24_000 },
  /** PutEvents property keys that would shadow reserved columns (compared case-insensitively). */
  reservedEventPropertyKeys: [
    'userId',
    'sessionId',
    'eventType',
    'timestamp',
    'recommendationId',
    'impression',
  ],
  /** Epoch seconds beyond this are almost surely milliseconds (year 5138). */
  maxEpochSeconds: 1e11,
} as const;
