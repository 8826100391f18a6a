import type { CaseStatus } from '@shared/domain/case';

/**
 * The map's colours, in one exported palette: the layers paint with them, the legend shows them,
 * and the end-to-end test counts pixels of exactly these colours in a screenshot. They are picked
 * to be far apart from each other and from the background, so a pixel count cannot confuse two
 * layers (keep it that way when adding one).
 */
export const MAP_COLORS = {
  background: '#f3f1ec',
  districtLine: '#7a6a5a',
  streetLine: '#a5815c',
  streetLabel: '#6b5440',
  gridLine: '#1d4ed8',
  gridFill: '#1d4ed8',
  gridSelected: '#f97316',
  gridLabel: '#1e293b',
  labelHalo: '#ffffff',
  household: '#0f9d8a',
  householdCluster: '#5eead4',
  householdClusterText: '#134e4a',
  need: '#7c3aed',
  specialGroup: '#db2777',
  specialGroupDue: '#fbbf24',
  pointStroke: '#ffffff',
} as const;

/** Case colours by status; overdue open cases are drawn in `CASE_OVERDUE_COLOR` instead. */
export const CASE_STATUS_COLORS: Readonly<Record<CaseStatus, string>> = {
  received: '#e8590c',
  dispatched: '#f59f00',
  signed: '#a3a300',
  handling: '#9c36b5',
  resolved: '#2f9e44',
  'followed-up': '#0c8599',
  archived: '#868e96',
  returned: '#5c3d2e',
};
export const CASE_OVERDUE_COLOR = '#e03131';
/** Groups of cases at street zoom (ringed in the overdue colour when one of them is overdue). */
export const CASE_CLUSTER_COLOR = '#ffa94d';
export const CASE_CLUSTER_TEXT = '#5c2b00';

/** Choropleth ramp (light → dark), one colour per class of `choroplethBreaks`. */
export const CHOROPLETH_COLORS = ['#fff5d6', '#fdd49e', '#fc8d59', '#d7301f', '#7f0000'] as const;

/** Heat map ramp from transparent to hot. */
export const HEAT_COLORS = ['#fde68a', '#f59e0b', '#dc2626', '#7f1d1d'] as const;
/**
 * Where each of `HEAT_COLORS` sits on the normalised density (0–1): below the first stop the
 * colour fades in from transparent, above the last it stays the hottest.
 */
export const HEAT_STOPS = [0.15, 0.4, 0.7, 1] as const;
/** Opacity of the heat map's colours: the grids and streets under it stay readable. */
export const HEAT_OPACITY = 0.75;

/** `#rrggbb` → [r, g, b] (tests count pixels by these values). */
export function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}
