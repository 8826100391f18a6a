/**
 * Problems found in a grid boundary file or a drawn grid, in a structured form: the UI translates
 * `code` with `params` (i18n key `grids.issue.<code>`), the server and logs use
 * {@link describeGridIssue}. Positions, rings and polygons in `params` are 1-based, as a person
 * counts them; areas are square metres.
 */
export type GeometryIssueCode =
  | 'geometry-missing'
  | 'geometry-not-object'
  | 'geometry-type'
  | 'no-coordinates'
  | 'no-rings'
  | 'ring-too-short'
  | 'position-invalid'
  | 'out-of-range'
  | 'ring-open'
  | 'self-intersection'
  | 'polygon-invalid';

export type GridIssueCode =
  | GeometryIssueCode
  // the file as a whole
  | 'file-empty'
  | 'not-json'
  | 'not-geojson'
  | 'no-features'
  // one feature
  | 'feature-invalid'
  | 'code-missing'
  | 'code-invalid'
  | 'code-duplicate'
  | 'code-other-street'
  | 'community-unknown'
  | 'name-missing'
  | 'name-too-long'
  | 'outside-street'
  | 'overlap'
  // warnings: the import may go on
  | 'street-boundary-unknown';

export type IssueParams = Record<string, string | number>;

/** One problem of one geometry, before it is tied to a feature. */
export interface GeometryIssue {
  code: GeometryIssueCode;
  params: IssueParams;
  /** `[lng, lat]` to point at on a map (a self-intersection, a bad position). */
  at?: [number, number];
}

/** Which feature an issue is about: its place in the file (0-based) and what it says it is. */
export interface FeatureRef {
  /** Position in the file's `features` (0-based; shown 1-based). Absent for a stored grid. */
  index?: number;
  code?: string;
  name?: string;
}

export interface GridIssue {
  code: GridIssueCode;
  /** An error blocks the import or the save; a warning is shown and the user may go on. */
  severity: 'error' | 'warning';
  /** The feature at fault; absent for problems of the whole file. */
  feature?: FeatureRef;
  /** The other feature or stored grid, for overlaps and duplicate codes. */
  other?: FeatureRef;
  params: IssueParams;
  at?: [number, number];
}

/** `feature 3 (110101010027001 第一网格)`, for messages in English. */
export function describeFeatureRef(ref: FeatureRef): string {
  const label = [ref.code, ref.name].filter((part) => part !== undefined && part !== '').join(' ');
  if (ref.index === undefined) return `grid ${label}`.trim();
  return label === '' ? `feature ${ref.index + 1}` : `feature ${ref.index + 1} (${label})`;
}

function where(params: IssueParams): string {
  return params.polygon === undefined ? '' : `polygon ${params.polygon} `;
}

const ENGLISH: Record<GridIssueCode, (p: IssueParams) => string> = {
  'geometry-missing': () => 'has no geometry (a Polygon or MultiPolygon is needed)',
  'geometry-not-object': () => 'geometry must be a Polygon or MultiPolygon object',
  'geometry-type': (p) => `geometry must be a Polygon or MultiPolygon, not ${p.type}`,
  'no-coordinates': (p) => `${p.type} has no coordinates`,
  'no-rings': (p) => `${where(p)}has no rings`,
  'ring-too-short': (p) => `${where(p)}ring ${p.ring} needs at least 4 positions`,
  'position-invalid': (p) => `${where(p)}ring ${p.ring} position ${p.position} is not [lng, lat]`,
  'out-of-range': (p) =>
    `${where(p)}ring ${p.ring} position ${p.position} [${p.lng}, ${p.lat}] is outside WGS-84 longitude/latitude (projected coordinates?)`,
  'ring-open': (p) => `${where(p)}ring ${p.ring} is not closed (first and last positions differ)`,
  'self-intersection': (p) => `${where(p)}crosses itself at [${p.lng}, ${p.lat}]`,
  'polygon-invalid': (p) =>
    `${where(p)}is not a valid polygon (a hole outside its outline, or rings that cross)`,
  'file-empty': () => 'the file is empty',
  'not-json': (p) => `not valid JSON: ${p.message}`,
  'not-geojson': () => 'expected a GeoJSON FeatureCollection (or one Feature)',
  'no-features': () => 'the file has no features',
  'feature-invalid': () => 'expected a GeoJSON Feature with properties',
  'code-missing': () => 'property "code" (the 15-digit grid code) is missing',
  'code-invalid': (p) => `code ${p.value} is not a 15-digit grid code`,
  'code-duplicate': () => 'duplicate code',
  'code-other-street': (p) => `code belongs to street ${p.codeStreet}, not to ${p.street}`,
  'community-unknown': (p) => `community ${p.community} is not a community of street ${p.street}`,
  'name-missing': () => 'property "name" is missing',
  'name-too-long': (p) => `name is longer than ${p.max} characters`,
  'outside-street': (p) =>
    `${p.outsideM2} m² (${p.outsidePercent} %) lies outside the street boundary`,
  overlap: (p) => `overlaps by ${p.overlapM2} m²`,
  'street-boundary-unknown': () =>
    'the street has no boundary on this device: grids were not checked against it',
};

/** An English sentence for an issue (server, CLI, logs); the UI translates instead. */
export function describeGridIssue(issue: GridIssue): string {
  const text = ENGLISH[issue.code](issue.params);
  const other = issue.other ? ` with ${describeFeatureRef(issue.other)}` : '';
  return issue.feature
    ? `${describeFeatureRef(issue.feature)}: ${text}${other}`
    : `${text}${other}`;
}

/** The English sentence of a geometry issue alone (the server's `geometryProblems`). */
export function describeGeometryIssue(issue: GeometryIssue): string {
  return ENGLISH[issue.code](issue.params);
}
