import type { Case } from '@shared/domain/case';
import type { Need } from '@shared/domain/need';
import type { Building, Household } from '@shared/domain/place';
import { LAYER_IDS } from './mapIds';
import { type GridMetrics, type MapFeatures, type MapRecords, OVERDUE_CLASS } from './mapData';

/** What the side panel shows: the record behind a clicked feature. */
export type MapSelection =
  | { kind: 'household'; household: Household; special: boolean; due: boolean }
  | { kind: 'building'; building: Building | undefined; households: Household[] }
  | { kind: 'case'; record: Case; overdue: boolean }
  | { kind: 'grid'; code: string; name: string; metrics: GridMetrics }
  | { kind: 'need'; need: Need; household: Household | undefined };

type Props = Record<string, unknown> | null | undefined;

const num = (value: unknown): number => (typeof value === 'number' ? value : -1);

/**
 * The record behind a clicked feature, found through the feature's `i` (its index in the arrays
 * the features were built from) — no database call. Null for a layer without records (clusters
 * are handled by the screen: a click zooms into them).
 */
export function selectionFromFeature(
  layerId: string,
  properties: Props,
  records: MapRecords,
  features: Pick<MapFeatures, 'buildingGroups'>,
): MapSelection | null {
  const p = properties ?? {};
  switch (layerId) {
    case LAYER_IDS.specialGroupPoint: {
      const household = records.households[num(p.i)];
      if (!household) return null;
      return { kind: 'household', household, special: true, due: p.due === 1 };
    }
    case LAYER_IDS.buildingPoint: {
      const group = features.buildingGroups[num(p.i)];
      if (!group) return null;
      const households = group.households.flatMap((i) => records.households[i] ?? []);
      const byRoom = new Intl.Collator('zh-CN', { numeric: true });
      households.sort((a, b) => byRoom.compare(`${a.unit}-${a.room}`, `${b.unit}-${b.room}`));
      // One household: no list to pick from.
      const only = households.length === 1 ? households[0] : undefined;
      if (only) return { kind: 'household', household: only, special: false, due: false };
      return { kind: 'building', building: group.building, households };
    }
    case LAYER_IDS.casePoint: {
      const record = records.cases[num(p.i)];
      return record ? { kind: 'case', record, overdue: p.k === OVERDUE_CLASS } : null;
    }
    case LAYER_IDS.needPoint: {
      const need = records.needs[num(p.i)];
      if (!need) return null;
      return {
        kind: 'need',
        need,
        household: records.households.find((h) => h.id === need.householdId),
      };
    }
    case LAYER_IDS.gridFill: {
      if (typeof p.code !== 'string') return null;
      return {
        kind: 'grid',
        code: p.code,
        name: typeof p.name === 'string' ? p.name : p.code,
        metrics: {
          households: num(p.households),
          openCases: num(p.openCases),
          overdueCases: num(p.overdueCases),
          dueSpecial: num(p.dueSpecial),
        },
      };
    }
    default:
      return null;
  }
}
