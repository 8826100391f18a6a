import { type Ref, shallowRef, watch } from 'vue';
import type { Building, Household } from '@shared/domain/place';
import { useDb } from '../../db/db';
import { buildingsOfGrid, householdsOfBuilding } from '../../db/repositories/places';

/** The picks of a move dialog: grid, then building, then household. */
export interface MovePicks {
  gridCode: string;
  buildingId: string;
  householdId: string;
}

/**
 * The lists a move dialog picks from, each following the pick above it while the dialog is
 * open: the buildings of the picked grid (when `needs` includes them) and the households of
 * the picked building. A pick that is no longer in its list is cleared; an answer that arrives
 * after the pick changed again is dropped.
 */
export function useMoveTargets(
  picks: MovePicks,
  open: Ref<boolean>,
  needs: () => { buildings: boolean; households: boolean },
) {
  const db = useDb();
  const buildings = shallowRef<Building[]>([]);
  const households = shallowRef<Household[]>([]);

  watch(
    () => [open.value, picks.gridCode] as const,
    async ([isOpen, grid]) => {
      if (!isOpen || !needs().buildings || !grid) return;
      const list = await buildingsOfGrid(db, grid);
      if (picks.gridCode !== grid) return;
      buildings.value = list;
      if (!list.some((b) => b.id === picks.buildingId)) picks.buildingId = '';
    },
    { immediate: true },
  );
  watch(
    () => [open.value, picks.buildingId] as const,
    async ([isOpen, building]) => {
      households.value = [];
      if (!isOpen || !needs().households || !building) return;
      const list = await householdsOfBuilding(db, building);
      if (picks.buildingId !== building) return;
      households.value = list;
      if (!list.some((h) => h.id === picks.householdId)) picks.householdId = '';
    },
    { immediate: true },
  );
  return { buildings, households };
}
