import { communityCodeOf } from '@shared/validation/codes';
import type { GridworkDb } from '../../../db/db';

/**
 * Where a free-text 诉求地址 points on this device: the household or building whose address it
 * contains, and so the grid. 12345 addresses carry prefixes the registry does not
 * (`北京市东城区和平里街道和平里七区3号楼2单元501`), so a household matches when its full address
 * is a suffix of the text (looked up through the households' `_addrKeys` index), and a building
 * when its address appears anywhere in the text (the longest such address wins).
 */
export interface AddressMatch {
  gridCode: string;
  communityCode: string | null;
  householdId: string | null;
  location: [number, number] | null;
}

/** Loads the street's buildings once and answers address look-ups for a whole import. */
export async function addressLocator(
  db: GridworkDb,
): Promise<(address: string) => Promise<AddressMatch | null>> {
  const buildings = (await db.buildings.toArray())
    .filter((b) => !b.deleted && b.address.trim() !== '')
    .sort((a, b) => b.address.length - a.address.length);
  return async (address: string) => {
    const text = address.replace(/\s/g, '');
    if (text === '') return null;
    // Every suffix of the text is a candidate full household address; the index holds each
    // household's full address among its keys, so one anyOf finds them all.
    const suffixes: string[] = [];
    for (let i = 0; i < text.length - 1; i += 1) suffixes.push(text.slice(i));
    const households = (await db.households.where('_addrKeys').anyOf(suffixes).toArray()).filter(
      (h) => !h.deleted && h.address !== '' && text.endsWith(h.address.replace(/\s/g, '')),
    );
    households.sort((a, b) => b.address.length - a.address.length);
    const household = households[0];
    if (household) {
      return {
        gridCode: household.gridCode,
        communityCode: communityCodeOf(household.gridCode),
        householdId: household.id,
        location: household.location,
      };
    }
    const building = buildings.find((b) => text.includes(b.address.replace(/\s/g, '')));
    if (!building) return null;
    return {
      gridCode: building.gridCode,
      communityCode: building.communityCode,
      householdId: null,
      location: building.location,
    };
  };
}
