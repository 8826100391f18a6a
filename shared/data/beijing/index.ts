import { z } from 'zod';
import { AreaGeometrySchema, type AreaGeometry } from '../../domain/common';
import communitiesJson from './codes/communities.json';
import districtsJson from './codes/districts.json';
import streetsJson from './codes/streets.json';
import dongchengStreetsJson from './boundaries/dongcheng-streets.json';

/**
 * Typed access to the real Beijing reference data shipped with the app (see README.md here for
 * sources, licences and transforms). The JSON is parsed through zod once, on first use, so a
 * corrupted or hand-edited file fails loudly here instead of deep inside a map layer or the demo
 * generator.
 */

/** One row of a division code list: 12-digit statistical code, official name, parent's code. */
export interface DivisionEntry {
  readonly code: string;
  readonly name: string;
  readonly parentCode: string;
}

/** A street-level (街道/乡/镇) or district polygon with the properties the app uses. */
export interface BoundaryFeature {
  readonly code: string;
  readonly name: string;
  readonly parentCode: string | null;
  readonly geometry: AreaGeometry;
  /** `[lng, lat]` — converted from upstream's `[lat, lng]` so every position in the app agrees. */
  readonly labelPoint: readonly [number, number];
}

const Code12Schema = z.string().regex(/^\d{12}$/);
const DivisionListSchema = z.array(
  z.object({ code: Code12Schema, name: z.string().min(1), parentCode: Code12Schema }),
);

// Upstream stores codes as JSON numbers (110101001000); 12-digit integers are exact in a double.
const NumericCodeSchema = z
  .union([z.number().int(), z.string()])
  .transform((value) => String(value))
  .pipe(Code12Schema);

const BoundaryCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({
        Name: z.string().min(1),
        code: NumericCodeSchema,
        parentCode: NumericCodeSchema.optional(),
        labelPoint: z.tuple([z.number(), z.number()]),
      }),
      geometry: AreaGeometrySchema,
    }),
  ),
});

function toFeatures(json: unknown): BoundaryFeature[] {
  return BoundaryCollectionSchema.parse(json).features.map(({ properties, geometry }) => ({
    code: properties.code,
    name: properties.Name,
    parentCode: properties.parentCode ?? null,
    geometry,
    labelPoint: [properties.labelPoint[1], properties.labelPoint[0]] as const,
  }));
}

function once<T>(load: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: load() }).v;
}

const districtList = once(() => DivisionListSchema.parse(districtsJson));
const streetList = once(() => DivisionListSchema.parse(streetsJson));
const communityList = once(() => DivisionListSchema.parse(communitiesJson));
const streetFeatureMap = once(
  () => new Map(toFeatures(dongchengStreetsJson).map((f) => [f.code, f])),
);
const communitiesByStreet = once(() => {
  const byStreet = new Map<string, DivisionEntry[]>();
  for (const entry of communityList()) {
    const list = byStreet.get(entry.parentCode) ?? [];
    list.push(entry);
    byStreet.set(entry.parentCode, list);
  }
  return byStreet;
});

/** The 16 districts (区) of Beijing, 12-digit codes, parent `110000000000`. */
export function districts(): readonly DivisionEntry[] {
  return districtList();
}

/** All 349 street-level units (街道/乡/镇); `district` (12-digit code) narrows to one district. */
export function streets(district?: string): readonly DivisionEntry[] {
  const all = streetList();
  return district === undefined ? all : all.filter((s) => s.parentCode === district);
}

/** One street-level unit's code-list entry, or undefined. */
export function streetEntry(code12: string): DivisionEntry | undefined {
  return streetList().find((s) => s.code === code12);
}

/** Communities (社区居委会) and villages (村委会) of a street, in code order. */
export function communitiesOfStreet(code12: string): readonly DivisionEntry[] {
  return communitiesByStreet().get(code12) ?? [];
}

/**
 * The real polygon of a street of 东城区 (the only district whose street polygons ship with the
 * app, as the demo street's district), or undefined for any other code.
 */
export function streetFeature(code12: string): BoundaryFeature | undefined {
  return streetFeatureMap().get(code12);
}

/** Every shipped street polygon (the 17 streets of 东城区). */
export function streetFeatures(): readonly BoundaryFeature[] {
  return [...streetFeatureMap().values()];
}

/**
 * The 16 district outlines. Loaded on demand: at ~0.9 MB they are the largest shipped file, and a
 * dynamic import lets the bundler keep them out of the start-up chunk.
 */
export async function districtOutlines(): Promise<readonly BoundaryFeature[]> {
  const module = await import('./boundaries/beijing-districts.json');
  return toFeatures(module.default);
}
