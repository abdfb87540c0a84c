/**
 * Interactions file: exact duplicate rows, references to users/items, and what training needs (§3.3).
 * Per row it keeps only 64-bit hashes: a fixed-size row-hash table and per-user counts that grow with
 * distinct users, never with rows.
 */

import { hash64 } from '../core/hash64.ts';
import { RESERVED_FIELDS } from '../schemas/rules.ts';
import { BoundedHashSet } from './bounded-hash-set.ts';
import { HashCounter } from './hash-counter.ts';
import { DATA_LIMITS } from './rule-catalog.ts';
import { type ScanContext, scanFile } from './scan-file.ts';
import type { InteractionsSummary } from './types.ts';

/** Distinct event types tracked by name; a column with more is not an event type column anyway. */
const MAX_TRACKED_EVENT_TYPES = 1000;

export interface InteractionsScanInput extends ScanContext {
  readonly duplicateCheckBytes: number;
  /** Ids of the users / items files, when given. */
  readonly users?: { readonly file: string; readonly ids: HashCounter };
  readonly items?: { readonly file: string; readonly ids: HashCounter };
}

export interface InteractionsScan {
  readonly summary: InteractionsSummary;
  /** Share of distinct rows the duplicate check covered (1 unless the fixed table filled up). */
  readonly duplicateCoverage: number;
}

function checkTrainingMinimums(
  input: InteractionsScanInput,
  rows: number,
  perUser: HashCounter,
  activeUsers: number,
): void {
  const { log, file } = input;
  if (rows < DATA_LIMITS.minInteractions) {
    log.add(
      'min-interactions',
      file,
      0,
      0,
      `${rows} interactions; Personalize needs at least ${DATA_LIMITS.minInteractions} to train`,
    );
  }
  if (activeUsers < DATA_LIMITS.minActiveUsers) {
    log.add(
      'min-active-users',
      file,
      0,
      0,
      `${activeUsers} users have at least 2 interactions; Personalize needs at least ${DATA_LIMITS.minActiveUsers}`,
    );
  }
  if (perUser.size > 0 && activeUsers / perUser.size < DATA_LIMITS.minActiveUserShare) {
    log.add(
      'active-user-share',
      file,
      0,
      0,
      `${activeUsers} of ${perUser.size} users have at least 2 interactions; Personalize needs at least ${DATA_LIMITS.minActiveUserShare * 100}%`,
    );
  }
}

function checkEventTypes(
  input: InteractionsScanInput,
  counts: readonly [string, number][],
  untrackedRows: number,
  column: number,
): void {
  const { log, file, schema } = input;
  const reserved = RESERVED_FIELDS.interactions;
  const metadataColumns = schema.fields.filter((f) => !(f.name in reserved)).length;
  if (counts.length + metadataColumns > DATA_LIMITS.maxEventTypesPlusMetadata) {
    const many = untrackedRows > 0 ? `more than ${counts.length}` : `${counts.length}`;
    log.add(
      'event-type-count',
      file,
      0,
      column,
      `${many} distinct event types plus ${metadataColumns} metadata columns exceed the limit of ${DATA_LIMITS.maxEventTypesPlusMetadata}`,
    );
  }
  if (counts.length > 0) {
    const total = counts.reduce((sum, [, n]) => sum + n, untrackedRows);
    const parts = counts.map(([type, n]) => `${type || '(empty)'} ${n} (${((100 * n) / total).toFixed(1)}%)`);
    if (untrackedRows > 0)
      parts.push(`${untrackedRows} rows of types beyond the first ${MAX_TRACKED_EVENT_TYPES}`);
    log.add('event-type-distribution', file, 0, column, `event types: ${parts.join(', ')}`);
  }
}

export async function scanInteractions(input: InteractionsScanInput): Promise<InteractionsScan> {
  const { file, log, users, items } = input;
  const perUser = new HashCounter(1 << 16);
  const rowHashes = new BoundedHashSet(input.duplicateCheckBytes);
  const eventTypes = new Map<string, number>();
  const hash = new Uint32Array(2);
  let activeUsers = 0;
  let counted = 0;
  let eventColumn = -1;
  let untrackedEventRows = 0;
  let lastUser = '';
  let lastUserHi = 0;
  let lastUserLo = 0;
  let lastUserKnown = true;

  await scanFile(input, (columns) => {
    const userColumn = columns.get('USER_ID') ?? -1;
    const itemColumn = columns.get('ITEM_ID') ?? -1;
    eventColumn = columns.get('EVENT_TYPE') ?? -1;
    return (fields, line, record) => {
      counted++;
      hash64(record.raw(), hash);
      if (rowHashes.addIsDuplicate(hash[0]!, hash[1]!)) {
        log.add(
          'duplicate-interaction',
          file,
          line,
          0,
          'this row repeats an earlier row exactly (hash match)',
        );
      }
      if (userColumn >= 0 && fields[userColumn] !== '') {
        const userId = fields[userColumn]!;
        // Exports are often grouped by user: reuse the previous row's hash and lookup for the same user.
        if (userId !== lastUser) {
          lastUser = userId;
          hash64(userId, hash);
          lastUserHi = hash[0]!;
          lastUserLo = hash[1]!;
          lastUserKnown = users === undefined || users.ids.count(lastUserHi, lastUserLo) > 0;
        }
        if (perUser.increment(lastUserHi, lastUserLo) === 2) activeUsers++;
        if (!lastUserKnown) {
          log.add(
            'unknown-user',
            file,
            line,
            userColumn + 1,
            `USER_ID ${JSON.stringify(userId)} is not in ${users!.file}`,
          );
        }
      }
      if (items && itemColumn >= 0 && fields[itemColumn] !== '') {
        const itemId = fields[itemColumn]!;
        hash64(itemId, hash);
        if (items.ids.count(hash[0]!, hash[1]!) === 0) {
          log.add(
            'unknown-item',
            file,
            line,
            itemColumn + 1,
            `ITEM_ID ${JSON.stringify(itemId)} is not in ${items.file}`,
          );
        }
      }
      if (eventColumn >= 0) {
        const type = fields[eventColumn]!;
        const n = eventTypes.get(type);
        if (n !== undefined) eventTypes.set(type, n + 1);
        else if (eventTypes.size < MAX_TRACKED_EVENT_TYPES) eventTypes.set(type, 1);
        else untrackedEventRows++;
      }
    };
  });

  checkTrainingMinimums(input, counted, perUser, activeUsers);
  const sorted = [...eventTypes].sort((a, b) => b[1] - a[1]);
  checkEventTypes(input, sorted, untrackedEventRows, eventColumn + 1);
  return {
    summary: {
      rows: counted,
      distinctUsers: perUser.size,
      activeUsers,
      eventTypes: Object.fromEntries(sorted),
    },
    duplicateCoverage: rowHashes.coveredShare,
  };
}
