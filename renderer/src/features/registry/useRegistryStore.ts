import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Building, Household } from '@shared/domain/place';
import type { Resident } from '@shared/domain/people';
import { useDb } from '../../db/db';
import { type CommunityNode, orgTree } from '../../db/repositories/org';
import { buildingsOfGrid, householdById, householdsOfBuilding } from '../../db/repositories/places';
import {
  type ResidentHit,
  residentsOfHousehold,
  searchResidents,
} from '../../db/repositories/residents';

export const SEARCH_LIMIT = 200;

/**
 * The 人房户 browser's state: grid → building → household selection, the household shown,
 * and the resident search. Lists hold plain records (shallowRef): they are replaced, never
 * mutated in place, and 500 reactive proxies per list would only cost time.
 */
export const useRegistryStore = defineStore('registry', () => {
  const db = useDb();
  const loaded = ref(false);
  const streetName = ref('');
  const communities = shallowRef<CommunityNode[]>([]);
  const gridCode = ref<string | null>(null);
  const buildings = shallowRef<Building[]>([]);
  const buildingId = ref<string | null>(null);
  const households = shallowRef<Household[]>([]);
  const household = shallowRef<Household | null>(null);
  const members = shallowRef<Resident[]>([]);
  const query = ref('');
  const hits = shallowRef<ResidentHit[]>([]);
  const searching = ref(false);

  const isEmpty = computed(() => loaded.value && communities.value.length === 0);
  const gridName = computed(
    () =>
      communities.value.flatMap((c) => c.grids).find((g) => g.code === gridCode.value)?.name ?? '',
  );

  async function loadTree() {
    const tree = await orgTree(db);
    communities.value = tree.communities;
    streetName.value = tree.streets[0]?.name ?? '';
    loaded.value = true;
  }

  async function selectGrid(code: string) {
    if (gridCode.value === code) return;
    gridCode.value = code;
    buildingId.value = null;
    households.value = [];
    buildings.value = await buildingsOfGrid(db, code);
  }

  async function selectBuilding(id: string) {
    buildingId.value = id;
    households.value = await householdsOfBuilding(db, id);
  }

  async function selectHousehold(id: string) {
    const [found, people] = await Promise.all([
      householdById(db, id),
      residentsOfHousehold(db, id),
    ]);
    household.value = found ?? null;
    members.value = people;
  }

  /** Opens a household from anywhere (a search hit): selects its grid and building too. */
  async function openHousehold(id: string) {
    const found = await householdById(db, id);
    if (!found) return;
    await selectGrid(found.gridCode);
    await selectBuilding(found.buildingId);
    await selectHousehold(id);
  }

  let searchTicket = 0;
  /** Runs a search; a slower earlier search never overwrites the results of a later one. */
  async function search(text: string) {
    query.value = text;
    const ticket = ++searchTicket;
    searching.value = true;
    try {
      const result = await searchResidents(db, text, SEARCH_LIMIT);
      if (ticket === searchTicket) hits.value = result;
    } finally {
      if (ticket === searchTicket) searching.value = false;
    }
  }

  /** Re-reads everything on screen (after a sync brought new data), keeping the selection. */
  async function refresh() {
    await loadTree();
    const grid = gridCode.value;
    if (grid) buildings.value = await buildingsOfGrid(db, grid);
    if (buildingId.value) households.value = await householdsOfBuilding(db, buildingId.value);
    if (household.value) await selectHousehold(household.value.id);
    if (query.value) await search(query.value);
  }

  function clearSearch() {
    query.value = '';
    hits.value = [];
  }

  return {
    loaded,
    streetName,
    communities,
    gridCode,
    gridName,
    buildings,
    buildingId,
    households,
    household,
    members,
    query,
    hits,
    searching,
    isEmpty,
    loadTree,
    selectGrid,
    selectBuilding,
    selectHousehold,
    openHousehold,
    search,
    clearSearch,
    refresh,
  };
});
