import { type ComputedRef, computed } from 'vue';
import { type LocationQuery, useRoute, useRouter } from 'vue-router';
import { isGridCode } from '@shared/validation/codes';

/**
 * A grid picked on the map narrows the lists of other screens: the map's side panel links to
 * `/cases?grid=<15-digit code>` and `/visits?grid=<code>` (该网格的案件 / 该网格的走访), and those
 * screens read the code here and show it as a removable chip. In the URL rather than a store so a
 * reload or a copied link keeps the narrowing, and so the back button undoes it.
 */
export const GRID_QUERY_KEY = 'grid';

/** The grid code in a route query, or null when there is none or it is not a grid code. */
export function gridOfQuery(query: LocationQuery): string | null {
  const raw = query[GRID_QUERY_KEY];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && isGridCode(value) ? value : null;
}

/** The query without the grid, every other key kept (what the chip's × leaves). */
export function withoutGrid(query: LocationQuery): LocationQuery {
  return Object.fromEntries(Object.entries(query).filter(([key]) => key !== GRID_QUERY_KEY));
}

/** The current route's grid, and a way to clear it that stays on the same route and params. */
export function useGridQuery(): { grid: ComputedRef<string | null>; clear: () => Promise<void> } {
  const route = useRoute();
  const router = useRouter();
  const grid = computed(() => gridOfQuery(route.query));
  async function clear(): Promise<void> {
    await router.replace({ path: route.path, query: withoutGrid(route.query) });
  }
  return { grid, clear };
}
