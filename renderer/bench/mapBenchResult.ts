import type { DemoOptions } from '@shared/demo';

/**
 * What the in-page part of `npm run bench:map` (`mapBench.ts`) hands back to Node. A file of its
 * own so that the Node side imports no browser-only module (MapLibre, Vite `?url` imports).
 */
export interface MapBenchResult {
  households: number;
  cases: number;
  caseFeatures: number;
  /** Records → GeoJSON (buildMapFeatures) and reference outlines. */
  buildMs: number;
  /** From handing the data to the layers until the map is idle. */
  renderMs: number;
  /** buildMs + renderMs: data ready → map idle. */
  toIdleMs: number;
  /** Switching the case window from 90 days to all time (every case on the map) → idle. */
  allTimeMs: number;
  /** Cases in the default 90-day window, and the heat cells they make. */
  windowCases: number;
  heatCells: number;
  pans: { label: string; zoom: number; frames: number; worstMs: number; p95Ms: number }[];
}

declare global {
  interface Window {
    runMapBench?: (options: DemoOptions) => Promise<MapBenchResult>;
  }
}
