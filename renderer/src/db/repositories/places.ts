import type { Building, Household } from '@shared/domain/place';
import type { GridworkDb } from '../db';

const byName = new Intl.Collator('zh-CN', { numeric: true });

/** Buildings of a grid, in natural order (2号楼 before 10号楼). */
export async function buildingsOfGrid(db: GridworkDb, gridCode: string): Promise<Building[]> {
  const rows = await db.buildings
    .where('gridCode')
    .equals(gridCode)
    .filter((b) => !b.deleted)
    .toArray();
  return rows.sort((a, b) => byName.compare(a.address, b.address));
}

/** Households of a building, by unit and room. */
export async function householdsOfBuilding(
  db: GridworkDb,
  buildingId: string,
): Promise<Household[]> {
  const rows = await db.households
    .where('buildingId')
    .equals(buildingId)
    .filter((h) => !h.deleted)
    .toArray();
  return rows.sort((a, b) => byName.compare(`${a.unit}-${a.room}`, `${b.unit}-${b.room}`));
}

export async function householdById(db: GridworkDb, id: string): Promise<Household | undefined> {
  return db.households.get(id);
}

/** Number of households per grid code, read from the index only (no records loaded). */
export async function householdCount(db: GridworkDb, gridCode: string): Promise<number> {
  return db.households.where('gridCode').equals(gridCode).count();
}
