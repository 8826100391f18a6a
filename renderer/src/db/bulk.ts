import { ENTITY_SCHEMAS, type EntityOf, type EntityTable } from '@shared/domain/entities';
import type { GridworkDb } from './db';
import { deriveKeys } from './derive';

/** A batch that failed validation: nothing of it was written. */
export class BatchError extends Error {
  constructor(
    readonly table: EntityTable,
    readonly rowIndex: number,
    readonly issues: string[],
  ) {
    super(`${table} row ${rowIndex}: ${issues.join('; ')}`);
    this.name = 'BatchError';
  }
}

/**
 * Stores records that already exist elsewhere — a snapshot page from the sync server or the
 * demo street — without outbox entries: they are not local edits and must not be pushed back.
 * The whole batch is validated first, so a bad row refuses the batch and writes nothing.
 */
export async function putRemote<T extends EntityTable>(
  db: GridworkDb,
  table: T,
  rows: readonly EntityOf<T>[],
): Promise<void> {
  const schema = ENTITY_SCHEMAS[table];
  const stored = rows.map((row, index) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      throw new BatchError(
        table,
        index,
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      );
    }
    return deriveKeys(table, parsed.data as EntityOf<T>);
  });
  await db.table(table).bulkPut(stored);
}

/** Whether the database holds any org structure yet (the empty state offers the demo street). */
export async function isEmpty(db: GridworkDb): Promise<boolean> {
  return (await db.orgUnits.limit(1).count()) === 0;
}
