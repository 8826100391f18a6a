import type { OrgUnit } from '@shared/domain/org';
import type { GridworkDb } from '../db';

export interface GridNode {
  code: string;
  name: string;
}
export interface CommunityNode extends GridNode {
  grids: GridNode[];
}

/** The street(s) on this device, with their communities and grids, for the registry tree. */
export async function orgTree(
  db: GridworkDb,
): Promise<{ streets: OrgUnit[]; communities: CommunityNode[] }> {
  const [streets, communities, grids] = await Promise.all([
    db.orgUnits.where('level').equals('street').toArray(),
    db.orgUnits.where('level').equals('community').sortBy('code'),
    db.orgUnits.where('level').equals('grid').sortBy('code'),
  ]);
  const byCommunity = new Map<string, GridNode[]>();
  for (const grid of grids) {
    if (grid.deleted || !grid.parentCode) continue;
    const list = byCommunity.get(grid.parentCode) ?? [];
    list.push({ code: grid.code, name: grid.name });
    byCommunity.set(grid.parentCode, list);
  }
  return {
    streets: streets.filter((s) => !s.deleted),
    communities: communities
      .filter((c) => !c.deleted && byCommunity.has(c.code))
      .map((c) => ({ code: c.code, name: c.name, grids: byCommunity.get(c.code) ?? [] })),
  };
}

export async function orgUnitByCode(db: GridworkDb, code: string): Promise<OrgUnit | undefined> {
  return db.orgUnits.where('code').equals(code).first();
}
