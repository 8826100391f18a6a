import type { LayerSpecification, SourceSpecification } from 'maplibre-gl';

/** `[lng, lat]`. Records are WGS-84; what is drawn is in the basemap's system (see below). */
export type LngLat = [number, number];

/**
 * What a basemap brings to the map screen: style parts drawn under our layers, and the
 * coordinate shift between stored WGS-84 and the basemap's system. A GCJ-02 basemap (most tile
 * sets made in China) needs every drawn point shifted WGS-84 → GCJ-02 (`toDisplay`), and every
 * picked point shifted back (`fromDisplay`) before it is stored. Without a basemap both are the
 * identity.
 */
export interface BasemapParts {
  sources: Record<string, SourceSpecification>;
  layers: LayerSpecification[];
  toDisplay(point: LngLat): LngLat;
  fromDisplay(point: LngLat): LngLat;
  /** Shown in the attribution line when set. */
  attribution?: string;
}

const identity = (point: LngLat): LngLat => point;

export const NO_BASEMAP: BasemapParts = {
  sources: {},
  layers: [],
  toDisplay: identity,
  fromDisplay: identity,
};
