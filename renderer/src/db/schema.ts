import type { EntityTable } from '@shared/domain/entities';

/**
 * Every version of the local database, oldest first. Versions are append-only: a released
 * version is never edited, a change is a new entry (Dexie upgrades in order). Index strings
 * follow Dexie's syntax: first the primary key, `&` unique, `*` multi-entry, `[a+b]` compound.
 *
 * Fields starting with `_` are local index keys derived from the record (`derive.ts`); they
 * never leave the device.
 */
type StoreSpec = Record<EntityTable | LocalTable, string>;
export type LocalTable = 'outbox' | 'meta' | 'syncState' | 'rejections' | 'blobs';

export const SCHEMA_VERSIONS: readonly { version: number; stores: Partial<StoreSpec> }[] = [
  {
    version: 1,
    stores: {
      orgUnits: 'id, &code, level, parentCode',
      departments: 'id, code',
      buildings: 'id, gridCode, communityCode',
      households: 'id, gridCode, buildingId, *_addrKeys',
      residents: 'id, householdId, gridCode, name, _idTail, _phoneTail',
      visits: 'id, householdId, visitedAt, [householdId+visitedAt]',
      attachments: 'id, [ownerTable+ownerId], sha256',
      needs: 'id, householdId, status, category',
      needEvents: 'id, needId',
      resources: 'id, scope',
      projects: 'id, scope',
      needsLists: 'id, scope',
      cases: 'id, caseNo, status, gridCode, receivedAt, category',
      caseEvents: 'id, caseId, [caseId+at]',
      responsibilityRules: 'id, category',
      negativeList: 'id, category',
      meetings: 'id, heldAt',
      auditEvents: 'id, at',
      // `seq` is the device's mutation number: IndexedDB's key generator never reuses a value,
      // even after acknowledged entries are deleted, so (deviceId, seq) stays unique forever.
      outbox: '++seq, [table+recordId]',
      meta: 'key',
    },
  },
  {
    // Sync (issue 3): server-found conflicts, per-scope pull cursors, rejected mutations.
    version: 2,
    stores: {
      conflicts: 'id, resolved, recordId',
      syncState: 'scope',
      rejections: '++id, seq, [table+recordId]',
      // Attachment bytes on this device, by content hash; `uploaded` 0/1 (booleans aren't keys).
      blobs: 'sha256, uploaded',
    },
  },
  {
    // Visits (issue 4): the due-for-a-visit list finds special-group residents by tag
    // (multi-entry: one key per tag) instead of scanning every resident.
    version: 3,
    stores: {
      residents: 'id, householdId, gridCode, name, _idTail, _phoneTail, *tags',
    },
  },
  {
    // Change history (issue 4): one row per local change, read per record (a household and its
    // members) and, for a scope-wide log, by time.
    version: 4,
    stores: {
      recordChanges: 'id, [table+recordId], at',
    },
  },
  {
    // Cases keep only the index a query uses (duplicate suggestions by category): every screen
    // filters the street's cases in memory, and each unused index entry made an initial sync of
    // 100k records measurably slower (bench:sync).
    version: 5,
    stores: {
      cases: 'id, category',
    },
  },
];

export const DB_NAME = 'gridwork';
