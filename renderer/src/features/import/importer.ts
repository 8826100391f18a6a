import type { OrgUnit } from '@shared/domain/org';
import type { GridworkDb } from '../../db/db';
import { type Actor, commitChanges } from '../../db/write';
import { type ColumnMapping, IMPORT_FIELDS, guessMapping, headerSignature } from './columns';
import { type ImportContext, type ImportReport, importChanges } from './validate';

/**
 * The database side of an import: what validation needs to know about the chosen grid and the
 * street, the remembered column mappings, and the one-transaction write.
 */

/** Reads the chosen grid's buildings and households and the street's ID numbers. */
export async function loadImportContext(db: GridworkDb, gridCode: string): Promise<ImportContext> {
  const grid = await db.orgUnits.where('code').equals(gridCode).first();
  if (!grid) throw new Error(`grid ${gridCode} is not on this device`);
  const [buildings, households] = await Promise.all([
    db.buildings.where('gridCode').equals(gridCode).toArray(),
    db.households.where('gridCode').equals(gridCode).toArray(),
  ]);
  const existingIdNumbers = new Set<string>();
  // The device holds exactly the street (its scopes), so every live resident here counts.
  await db.residents.each((r) => {
    if (r.idNumber && !r.deleted) existingIdNumbers.add(r.idNumber);
  });
  return {
    grid: gridInfo(grid),
    buildings: buildings.filter((b) => !b.deleted),
    households: households.filter((h) => !h.deleted),
    existingIdNumbers,
  };
}

function gridInfo(grid: OrgUnit): ImportContext['grid'] {
  return { code: grid.code, name: grid.name, labelPoint: grid.labelPoint };
}

const MAPPING_PREFIX = 'import-mapping:';

/** The mapping used last time for files with these headers, else the guess. */
export async function initialMapping(
  db: GridworkDb,
  headers: readonly string[],
): Promise<{ mapping: ColumnMapping; remembered: boolean }> {
  const stored = (await db.meta.get(MAPPING_PREFIX + headerSignature(headers)))?.value;
  if (stored && typeof stored === 'object') {
    const guess = guessMapping(headers);
    const record = stored as Record<string, unknown>;
    for (const field of IMPORT_FIELDS) {
      const v = record[field];
      if (v === null || (typeof v === 'number' && Number.isInteger(v) && v < headers.length))
        guess[field] = v;
    }
    return { mapping: guess, remembered: true };
  }
  return { mapping: guessMapping(headers), remembered: false };
}

/** Remembers the mapping for the next file with the same headers (device-local setting). */
export async function rememberMapping(
  db: GridworkDb,
  headers: readonly string[],
  mapping: ColumnMapping,
): Promise<void> {
  await db.meta.put({ key: MAPPING_PREFIX + headerSignature(headers), value: { ...mapping } });
}

export interface ImportResult {
  households: number;
  residents: number;
}

/**
 * Imports the report's valid rows: every household and resident with its outbox entry in ONE
 * transaction (`commitChanges`), so a failure anywhere leaves the database as it was.
 */
export async function importValidRows(
  db: GridworkDb,
  report: ImportReport,
  context: ImportContext,
  actor: Actor,
  onProgress?: (done: number, total: number) => void,
): Promise<ImportResult> {
  const changes = importChanges(report, context);
  if (changes.length === 0) return { households: 0, residents: 0 };
  await commitChanges(db, changes, actor, { onProgress });
  return {
    households: changes.filter((c) => c.table === 'households').length,
    residents: changes.filter((c) => c.table === 'residents').length,
  };
}
