import {
  area,
  bbox as turfBbox,
  difference,
  featureCollection,
  feature as turfFeature,
  intersect,
  pointOnFeature,
} from '@turf/turf';
import type { AreaGeometry } from '../domain/common';
import { isGridCode, streetCodeOf } from '../validation/codes';
import { convertGeoJson, type Crs } from './crs';
import { geometryIssues, topologyIssues } from './geometryCheck';
import type { FeatureRef, GridIssue, GridIssueCode, IssueParams } from './gridIssues';

/**
 * Validation of a street office's grid (网格) boundaries before they are imported or saved from
 * the editor (issue 5 item 3). Every problem is returned, each naming its feature, so a file is
 * fixed in one round; nothing may be written while any `error` remains.
 */

/** Grids may stick out of the street by this share of their area (boundaries of different origin). */
export const OUTSIDE_STREET_SHARE = 0.01;
/** …or by this many square metres, whichever is larger (small grids, digitising slop). */
export const OUTSIDE_STREET_MIN_M2 = 100;
/** Two grids may overlap by this share of the smaller one's area (edges digitised twice)… */
export const OVERLAP_SHARE = 0.005;
/** …or by this many square metres, whichever is larger. */
export const OVERLAP_MIN_M2 = 100;
export const NAME_MAX = 80;

/** One feature as read from a file (or drawn), before checks. */
export interface GridInput {
  /** 0-based position in the file; absent for a grid drawn in the editor. */
  index?: number;
  code: string | null;
  name: string | null;
  geometry: unknown;
}

/** A stored grid that stays as it is: new and changed grids must not overlap it or reuse its code. */
export interface ExistingGrid {
  code: string;
  name: string;
  boundary?: AreaGeometry | null;
}

/** The street the grids belong to, and what is known about it on this device. */
export interface StreetContext {
  /** 12-digit street code. */
  code: string;
  /** WGS-84 outline; without one the containment check is skipped with a warning. */
  boundary?: AreaGeometry | null;
  /** Community codes of the street; when given, a grid's community must be one of them. */
  communities?: ReadonlySet<string> | null;
  otherGrids?: readonly ExistingGrid[];
}

/** A grid that passed every check, in WGS-84, ready to be written. */
export interface CheckedGrid {
  index?: number;
  code: string;
  name: string;
  boundary: AreaGeometry;
  /** A point inside the grid for its label, `[lng, lat]`. */
  labelPoint: [number, number];
  /** Square metres. */
  area: number;
}

/** One feature for a preview: its outline (WGS-84) when it could be read, and whether it has errors. */
export interface GridPreview {
  ref: FeatureRef;
  geometry: AreaGeometry | null;
  hasErrors: boolean;
}

export interface GridCheckResult {
  /** True when no issue is an error. */
  ok: boolean;
  issues: GridIssue[];
  /** The grids when `ok`; otherwise empty, so nothing half-checked can be written. */
  grids: CheckedGrid[];
  previews: GridPreview[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Property names seen in street offices' files: ours, a GIS export's, and the Chinese headers.
const CODE_KEYS = ['code', 'gridCode', 'grid_code', 'GRIDCODE', '网格编码', '网格代码'];
const NAME_KEYS = ['name', 'gridName', 'grid_name', 'NAME', '网格名称'];

function textValue(props: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = props[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    // Spreadsheets and some GIS exports turn codes into numbers; 15 digits are still exact.
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  }
  return null;
}

function fileIssue(code: GridIssueCode, params: IssueParams = {}): GridIssue {
  return { code, severity: 'error', params };
}

/**
 * Reads a GeoJSON text: a FeatureCollection, or a single Feature. Returns the features with
 * their code, name and raw geometry, and the problems of the file itself (empty, not JSON…).
 */
export function readGridFile(text: string): { inputs: GridInput[]; issues: GridIssue[] } {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { inputs: [], issues: [fileIssue('file-empty')] };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { inputs: [], issues: [fileIssue('not-json', { message })] };
  }
  let features: unknown[];
  if (isRecord(json) && json.type === 'FeatureCollection' && Array.isArray(json.features)) {
    features = json.features;
  } else if (isRecord(json) && json.type === 'Feature') {
    features = [json];
  } else {
    return { inputs: [], issues: [fileIssue('not-geojson')] };
  }
  if (features.length === 0) return { inputs: [], issues: [fileIssue('no-features')] };
  const inputs: GridInput[] = [];
  const issues: GridIssue[] = [];
  features.forEach((feature, index) => {
    if (!isRecord(feature) || feature.type !== 'Feature') {
      issues.push({ ...fileIssue('feature-invalid'), feature: { index } });
      return;
    }
    const props = isRecord(feature.properties) ? feature.properties : {};
    inputs.push({
      index,
      code: textValue(props, CODE_KEYS),
      name: textValue(props, NAME_KEYS),
      geometry: feature.geometry,
    });
  });
  return { inputs, issues };
}

function refOf(input: GridInput): FeatureRef {
  return {
    ...(input.index === undefined ? {} : { index: input.index }),
    ...(input.code === null ? {} : { code: input.code }),
    ...(input.name === null ? {} : { name: input.name }),
  };
}

type Box = [number, number, number, number];

function boxesMeet(a: Box, b: Box): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

const roundM2 = (m2: number) => Math.round(m2);
const round7 = (n: number) => Math.round(n * 1e7) / 1e7;

// Area of a ∩ b in m²; 0 when they do not meet. The clipper can fail on degenerate input that
// passed the topology check (near-zero slivers): that counts as no overlap rather than a crash.
function overlapArea(a: AreaGeometry, b: AreaGeometry): number {
  try {
    const shared = intersect(featureCollection([turfFeature(a), turfFeature(b)]));
    return shared ? area(shared) : 0;
  } catch {
    return 0;
  }
}

function outsideArea(grid: AreaGeometry, street: AreaGeometry): number {
  try {
    const outside = difference(featureCollection([turfFeature(grid), turfFeature(street)]));
    return outside ? area(outside) : 0;
  } catch {
    return 0;
  }
}

function labelPointOf(geometry: AreaGeometry): [number, number] {
  const [lng = 0, lat = 0] = pointOnFeature(geometry).geometry.coordinates;
  return [round7(lng), round7(lat)];
}

interface Readable {
  input: GridInput;
  ref: FeatureRef;
  geometry: AreaGeometry | null;
  errors: number;
}

/**
 * Checks grids against each other, the street and the street's other grids: valid polygons,
 * inside the street's boundary (within {@link OUTSIDE_STREET_SHARE}), no overlaps (beyond
 * {@link OVERLAP_SHARE}), 15-digit grid codes that are unique and belong to the street's
 * communities, a name. Geometries in `crs` are converted to WGS-84 first.
 */
export function checkGrids(
  inputs: readonly GridInput[],
  street: StreetContext,
  options: { crs?: Crs } = {},
): GridCheckResult {
  const crs = options.crs ?? 'WGS84';
  const issues: GridIssue[] = [];
  const readable: Readable[] = [];
  const seenCodes = new Map<string, FeatureRef>();
  const stored = new Map((street.otherGrids ?? []).map((g) => [g.code, g]));

  for (const input of inputs) {
    const ref = refOf(input);
    const mine: GridIssue[] = [];
    const add = (code: GridIssueCode, params: IssueParams = {}, extra: Partial<GridIssue> = {}) =>
      mine.push({ code, severity: 'error', feature: ref, params, ...extra });

    if (input.code === null) add('code-missing');
    else if (!isGridCode(input.code)) add('code-invalid', { value: input.code });
    else {
      const codeStreet = streetCodeOf(input.code) ?? '';
      const community = input.code.slice(0, 12);
      if (codeStreet !== street.code) add('code-other-street', { codeStreet, street: street.code });
      else if (street.communities && !street.communities.has(community)) {
        add('community-unknown', { community, street: street.code });
      }
      const twin = seenCodes.get(input.code);
      const storedTwin = stored.get(input.code);
      if (twin) add('code-duplicate', {}, { other: twin });
      else if (storedTwin) {
        add('code-duplicate', {}, { other: { code: storedTwin.code, name: storedTwin.name } });
      } else seenCodes.set(input.code, ref);
    }
    if (input.name === null) add('name-missing');
    else if ([...input.name].length > NAME_MAX) add('name-too-long', { max: NAME_MAX });

    let geometry: AreaGeometry | null = null;
    const structural = geometryIssues(input.geometry);
    for (const issue of structural) add(issue.code, issue.params, issue.at ? { at: issue.at } : {});
    if (structural.length === 0) {
      const raw = input.geometry as AreaGeometry;
      geometry = normalizeGeometry(crs === 'WGS84' ? raw : convertGeoJson(raw, crs, 'WGS84'));
      for (const issue of topologyIssues(geometry)) {
        add(issue.code, issue.params, issue.at ? { at: issue.at } : {});
      }
    }
    issues.push(...mine);
    readable.push({ input, ref, geometry, errors: mine.length });
  }

  // Area checks only for polygons that are themselves sound: a self-crossing ring has no area.
  const sound = readable.filter(
    (r): r is Readable & { geometry: AreaGeometry } =>
      r.geometry !== null && !issues.some((i) => i.feature === r.ref && isGeometryCode(i.code)),
  );
  const areas = new Map(sound.map((r) => [r, area(r.geometry)]));
  const boxes = new Map(sound.map((r) => [r, turfBbox(r.geometry) as Box]));

  if (!street.boundary) {
    issues.push({ code: 'street-boundary-unknown', severity: 'warning', params: {} });
  } else {
    const streetBoundary = street.boundary;
    const streetBox = turfBbox(streetBoundary) as Box;
    for (const r of sound) {
      const own = areas.get(r) ?? 0;
      const box = boxes.get(r);
      const outside =
        box && !boxesMeet(box, streetBox) ? own : outsideArea(r.geometry, streetBoundary);
      if (outside > Math.max(OUTSIDE_STREET_MIN_M2, own * OUTSIDE_STREET_SHARE)) {
        issues.push({
          code: 'outside-street',
          severity: 'error',
          feature: r.ref,
          params: {
            outsideM2: roundM2(outside),
            outsidePercent: own > 0 ? Math.round((outside / own) * 1000) / 10 : 100,
            street: street.code,
          },
        });
        r.errors += 1;
      }
    }
  }

  const overlapIssue = (a: Readable, other: FeatureRef, m2: number, smaller: number) => {
    if (m2 <= Math.max(OVERLAP_MIN_M2, smaller * OVERLAP_SHARE)) return;
    issues.push({
      code: 'overlap',
      severity: 'error',
      feature: a.ref,
      other,
      params: { overlapM2: roundM2(m2) },
    });
    a.errors += 1;
  };
  // Pairs inside the input, bounding boxes first: ~150 grids meet only their neighbours.
  for (let i = 0; i < sound.length; i++) {
    const a = sound[i];
    const boxA = a && boxes.get(a);
    if (!a || !boxA) continue;
    for (let j = i + 1; j < sound.length; j++) {
      const b = sound[j];
      const boxB = b && boxes.get(b);
      if (!b || !boxB || !boxesMeet(boxA, boxB)) continue;
      const smaller = Math.min(areas.get(a) ?? 0, areas.get(b) ?? 0);
      overlapIssue(a, b.ref, overlapArea(a.geometry, b.geometry), smaller);
    }
    // The street's grids that stay as they are.
    for (const other of street.otherGrids ?? []) {
      if (!other.boundary || other.code === a.input.code) continue;
      if (!boxesMeet(boxA, turfBbox(other.boundary) as Box)) continue;
      const smaller = Math.min(areas.get(a) ?? 0, area(other.boundary));
      overlapIssue(
        a,
        { code: other.code, name: other.name },
        overlapArea(a.geometry, other.boundary),
        smaller,
      );
    }
  }

  const ok = !issues.some((issue) => issue.severity === 'error');
  const previews: GridPreview[] = readable.map((r) => ({
    ref: r.ref,
    geometry: r.geometry,
    hasErrors: issues.some((i) => i.severity === 'error' && i.feature === r.ref),
  }));
  const grids: CheckedGrid[] = ok
    ? sound.map((r) => ({
        ...(r.input.index === undefined ? {} : { index: r.input.index }),
        code: r.input.code ?? '',
        name: r.input.name ?? '',
        boundary: r.geometry,
        labelPoint: labelPointOf(r.geometry),
        area: Math.round(areas.get(r) ?? 0),
      }))
    : [];
  return { ok, issues: sortIssues(issues), grids, previews };
}

const GEOMETRY_CODES = new Set<GridIssueCode>([
  'geometry-missing',
  'geometry-not-object',
  'geometry-type',
  'no-coordinates',
  'no-rings',
  'ring-too-short',
  'position-invalid',
  'out-of-range',
  'ring-open',
  'self-intersection',
  'polygon-invalid',
]);

function isGeometryCode(code: GridIssueCode): boolean {
  return GEOMETRY_CODES.has(code);
}

/**
 * Positions as stored: `[lng, lat]` (an altitude some GIS tools write is dropped: the schema
 * holds pairs) rounded to 7 decimals (~1 cm; converted positions carry 15).
 */
function normalizeGeometry(geometry: AreaGeometry): AreaGeometry {
  const ring = (r: readonly (readonly number[])[]): [number, number][] =>
    r.map(([lng = 0, lat = 0]) => [round7(lng), round7(lat)]);
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: geometry.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map(ring)) };
}

// File problems first, then by feature in file order; stable otherwise.
function sortIssues(issues: GridIssue[]): GridIssue[] {
  const key = (i: GridIssue) => (i.feature ? (i.feature.index ?? 0) + 1 : 0);
  return issues
    .map((issue, n) => ({ issue, n }))
    .sort((a, b) => key(a.issue) - key(b.issue) || a.n - b.n)
    .map((e) => e.issue);
}

/** {@link readGridFile} then {@link checkGrids}: every problem of a file in one list. */
export function checkGridFile(
  text: string,
  street: StreetContext,
  options: { crs?: Crs } = {},
): GridCheckResult {
  const read = readGridFile(text);
  if (read.inputs.length === 0) {
    return { ok: false, issues: read.issues, grids: [], previews: [] };
  }
  const checked = checkGrids(read.inputs, street, options);
  const issues = sortIssues([...read.issues, ...checked.issues]);
  const ok = checked.ok && read.issues.length === 0;
  return { ok, issues, grids: ok ? checked.grids : [], previews: checked.previews };
}
