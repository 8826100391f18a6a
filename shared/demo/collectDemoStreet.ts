import type { EntityOf, EntityTable } from '../domain/entities';
import { generateDemoStreet, type DemoOptions } from './index';

/** Every row of a generated street, grouped by table (tests and small streets only). */
export type CollectedStreet = { [K in EntityTable]?: EntityOf<K>[] };

/** Runs the generator to the end and keeps every row; fine for a few thousand households. */
export function collectDemoStreet(opts: DemoOptions, batchSize?: number): CollectedStreet {
  const out: CollectedStreet = {};
  for (const batch of generateDemoStreet(opts, batchSize)) {
    // Each batch's rows match its table (DemoTableBatch), so appending keeps the grouping sound.
    const list: unknown[] = out[batch.table] ?? [];
    list.push(...batch.rows);
    Object.assign(out, { [batch.table]: list });
  }
  return out;
}

/** Rows of one table, or an empty list. */
export function rowsOf<T extends EntityTable>(street: CollectedStreet, table: T): EntityOf<T>[] {
  return street[table] ?? [];
}
