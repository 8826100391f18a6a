import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { GridMetric } from './mapData';
import type { CaseFilter, LayerKey } from './layers/types';

/** Time windows the case filters offer, in days (null = all). */
export const CASE_WINDOWS: readonly (number | null)[] = [7, 30, 90, 365, null];

/**
 * The map screen's controls: which layers are on, the grid choropleth, the case filters and the
 * selected grid. Kept in a store so they survive leaving the screen and coming back; the map
 * itself is not (it is made and destroyed by `MapView`, and handed to children as props).
 */
export const useMapStore = defineStore('map', () => {
  const visible = ref<LayerKey[]>(['boundaries', 'grids', 'households', 'cases']);
  const metric = ref<GridMetric | null>(null);
  const caseFilter = ref<CaseFilter>({ windowDays: 90, category: null });
  const selectedGrid = ref<string | null>(null);

  const visibleSet = computed(() => new Set(visible.value));

  function setVisible(key: LayerKey, on: boolean) {
    const next = new Set(visible.value);
    if (on) next.add(key);
    else next.delete(key);
    visible.value = [...next];
  }

  return { visible, visibleSet, metric, caseFilter, selectedGrid, setVisible };
});
