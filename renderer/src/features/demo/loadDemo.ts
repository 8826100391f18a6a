import { generateDemoStreet, planDemoStreet, type DemoOptions } from '@shared/demo';
import { ENTITY_TABLES, type EntityTable } from '@shared/domain/entities';
import type { GridworkDb } from '../../db/db';
import { putRemote } from '../../db/bulk';

export interface DemoProgress {
  table: EntityTable;
  written: number;
  total: number;
}

export class DemoLoadError extends Error {
  override name = 'DemoLoadError';
}

/**
 * Generates the demo street batch by batch and stores it as remote data (no outbox: demo
 * records are not local edits). Only an empty database takes a demo street, and a failure
 * clears what was written, so a failed load leaves the device as it was.
 */
export async function loadDemoStreet(
  db: GridworkDb,
  options: DemoOptions,
  onProgress?: (p: DemoProgress) => void,
): Promise<{ written: number; ms: number }> {
  if ((await db.orgUnits.count()) > 0)
    throw new DemoLoadError(
      'the database already holds data; the demo street only loads into an empty one',
    );
  const total = planDemoStreet(options).totalRecords;
  const started = performance.now();
  let written = 0;
  try {
    for (const batch of generateDemoStreet(options)) {
      await putRemote(db, batch.table, batch.rows);
      written += batch.rows.length;
      onProgress?.({ table: batch.table, written, total: Math.max(total, written) });
    }
  } catch (error) {
    await clearEntities(db);
    throw error;
  }
  return { written, ms: performance.now() - started };
}

async function clearEntities(db: GridworkDb) {
  const tables: EntityTable[] = ENTITY_TABLES;
  await db.transaction(
    'rw',
    tables.map((name) => db.table(name)),
    async () => {
      await Promise.all(tables.map((name) => db.table(name).clear()));
    },
  );
}
