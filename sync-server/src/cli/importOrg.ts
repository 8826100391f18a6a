import { v7 as uuidv7 } from 'uuid';
import { OrgUnitSchema, type OrgLevel, type OrgUnit } from '../../../shared/domain/org';
import type { AreaGeometry } from '../../../shared/domain/common';
import { geometryIssues, topologyIssues } from '../../../shared/geo/geometryCheck';
import { describeGeometryIssue } from '../../../shared/geo/gridIssues';
import { formatHlc, parseHlc } from '../../../shared/sync/hlc';
import { isWithin, parentCode } from '../../../shared/validation/codes';
import { scopeKind } from '../services/scopes';
import { partitionOf, type Storage, type StorageTx } from '../storage/types';

/**
 * `import-org`: loads the organisation tree (streets, communities, grids, districts) from a
 * GeoJSON FeatureCollection or a CSV file into the `orgUnits` table. Every row is checked first;
 * on any problem every problem is reported with its feature or line number and nothing is written
 * (DESIGN §8: bad input changes nothing). A unit whose code exists already is updated in place.
 *
 * GeoJSON: features with properties `code`, `name`, optional `parentCode` and `level`, and a
 * Polygon or MultiPolygon geometry in WGS-84 (or `null`: communities often have no public outline).
 * CSV: a header `code,name,parentCode[,level]` (any column order), then one unit per line.
 */

/** One unit as read from the file, before checks. */
export interface OrgInput {
  /** Where it came from, for messages: `feature 3`, `line 4`. */
  ref: string;
  code: string;
  name: string;
  /** Null/absent: derived from the code. */
  parentCode: string | null;
  level: string | null;
  /** Absent when the row has no outline (CSV rows, `geometry: null`). */
  boundary?: AreaGeometry;
}

/** The outcome of an import (or a dry run). */
export type ImportOrgResult =
  | {
      ok: true;
      created: number;
      updated: number;
      dryRun: boolean;
      byLevel: Record<OrgLevel, number>;
    }
  | { ok: false; errors: string[] };

/** HLC node of records the server writes itself. */
export const SERVER_NODE = 'server';

const ORG_LEVELS: readonly OrgLevel[] = ['district', 'street', 'community', 'grid'];

// ------------------------------------------------------------------ reading files

interface Parsed {
  units: OrgInput[];
  errors: string[];
}

function codeValue(value: unknown): string | null {
  if (typeof value === 'string') return value.trim();
  // Spreadsheets and some GIS exports turn codes into numbers; 15 digits are still exact.
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a geometry: Polygon/MultiPolygon, closed rings of ≥ 4 positions, WGS-84 ranges. The
 * checks are the app's own (`shared/geo/geometryCheck.ts`), so a file is judged the same here and
 * in the grid import screen.
 */
export function geometryProblems(geometry: unknown): string[] {
  if (geometry === null || geometry === undefined) {
    return [describeGeometryIssue({ code: 'geometry-not-object', params: {} })];
  }
  return geometryIssues(geometry).map(describeGeometryIssue);
}

/** Reads a GeoJSON FeatureCollection. */
export function parseOrgGeoJson(text: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      units: [],
      errors: [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  if (!isRecord(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    return { units: [], errors: ['expected a GeoJSON FeatureCollection with a "features" array'] };
  }
  const units: OrgInput[] = [];
  const errors: string[] = [];
  json.features.forEach((feature: unknown, index) => {
    const ref = `feature ${index + 1}`;
    if (!isRecord(feature) || feature.type !== 'Feature' || !isRecord(feature.properties)) {
      errors.push(`${ref}: expected a Feature with properties`);
      return;
    }
    const props = feature.properties;
    const code = codeValue(props.code);
    const parent =
      props.parentCode === undefined || props.parentCode === null
        ? null
        : codeValue(props.parentCode);
    const problems: string[] = [];
    if (code === null) problems.push('property "code" is missing');
    if (typeof props.name !== 'string') problems.push('property "name" is missing');
    if (props.parentCode !== undefined && props.parentCode !== null && parent === null) {
      problems.push('property "parentCode" must be a code');
    }
    if (props.level !== undefined && props.level !== null && typeof props.level !== 'string') {
      problems.push('property "level" must be text');
    }
    let boundary: AreaGeometry | undefined;
    if (feature.geometry !== null && feature.geometry !== undefined) {
      const geometryIssues = geometryProblems(feature.geometry);
      problems.push(...geometryIssues);
      if (geometryIssues.length === 0) boundary = feature.geometry as AreaGeometry;
    }
    if (problems.length > 0 || code === null || typeof props.name !== 'string') {
      errors.push(...problems.map((p) => `${ref}${code ? ` (${code})` : ''}: ${p}`));
      return;
    }
    units.push({
      ref,
      code,
      name: props.name,
      parentCode: parent === '' ? null : parent,
      level:
        typeof props.level === 'string' && props.level.trim() !== '' ? props.level.trim() : null,
      ...(boundary ? { boundary } : {}),
    });
  });
  return { units, errors };
}

/** Splits CSV text (RFC 4180: quotes, doubled quotes, CRLF) into records with their first line number. */
export function parseCsvRecords(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0]?.trim() === ''))
      records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** Reads a CSV file with the header `code,name,parentCode[,level]`. */
export function parseOrgCsv(text: string): Parsed {
  const records = parseCsvRecords(text);
  const header = records.shift();
  if (!header) return { units: [], errors: ['the CSV file is empty'] };
  const names = header.fields.map((f) =>
    f
      .trim()
      .toLowerCase()
      .replace(/[_\s-]/g, ''),
  );
  const column = (name: string) => names.indexOf(name);
  const [codeAt, nameAt, parentAt, levelAt] = ['code', 'name', 'parentcode', 'level'].map(column);
  if (
    codeAt === undefined ||
    nameAt === undefined ||
    codeAt < 0 ||
    nameAt < 0 ||
    parentAt === undefined ||
    parentAt < 0
  ) {
    return {
      units: [],
      errors: [
        `line ${header.line}: the header must name the columns code,name,parentCode[,level]`,
      ],
    };
  }
  const units: OrgInput[] = [];
  const errors: string[] = [];
  for (const { line, fields } of records) {
    const ref = `line ${line}`;
    if (fields.length !== header.fields.length) {
      errors.push(`${ref}: expected ${header.fields.length} columns, found ${fields.length}`);
      continue;
    }
    const cell = (at: number | undefined) =>
      at === undefined || at < 0 ? '' : (fields[at] ?? '').trim();
    const parent = cell(parentAt);
    const level = cell(levelAt);
    units.push({
      ref,
      code: cell(codeAt),
      name: cell(nameAt),
      parentCode: parent === '' ? null : parent,
      level: level === '' ? null : level,
    });
  }
  return { units, errors };
}

/** Reads a file by its extension (`.geojson`/`.json` or `.csv`). */
export function parseOrgFile(fileName: string, text: string): Parsed {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return parseOrgCsv(text);
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return parseOrgGeoJson(text);
  return { units: [], errors: [`${fileName}: expected a .geojson, .json or .csv file`] };
}

// ------------------------------------------------------------------ checking and writing

/** Matches no scope (scopes are digits): the filter then returns only exact `ancestors` scopes. */
const NO_SUBTREE = '-';
const LOOKUP_PAGE = 1000;

/**
 * The orgUnits rows whose code is one of `codes` (deleted ones included), by code. One pass over
 * each partition's changelog, reading only rows scoped exactly at those codes (an org unit's
 * scope is its own code).
 */
export async function findOrgUnits(
  tx: StorageTx,
  codes: Iterable<string>,
): Promise<Map<string, OrgUnit>> {
  const byPartition = new Map<string, string[]>();
  for (const code of new Set(codes)) {
    const part = partitionOf(code);
    byPartition.set(part, [...(byPartition.get(part) ?? []), code]);
  }
  const found = new Map<string, OrgUnit>();
  for (const [part, scopes] of byPartition) {
    const wanted = new Set(scopes);
    for (let after = 0; ;) {
      const page = await tx.listChanges(
        part,
        { prefix: NO_SUBTREE, ancestors: scopes },
        after,
        LOOKUP_PAGE,
      );
      for (const row of page) {
        const code = row.record.code;
        if (row.table === 'orgUnits' && typeof code === 'string' && wanted.has(code)) {
          found.set(code, row.record as unknown as OrgUnit);
        }
      }
      const last = page[page.length - 1];
      if (!last || page.length < LOOKUP_PAGE) break;
      after = last.seq;
    }
  }
  return found;
}

interface Checked {
  input: OrgInput;
  level: OrgLevel;
  parentCode: string | null;
}

function checkUnits(units: readonly OrgInput[]): { checked: Checked[]; errors: string[] } {
  const errors: string[] = [];
  const checked: Checked[] = [];
  const firstSeen = new Map<string, string>();
  for (const input of units) {
    const at = `${input.ref}${input.code ? ` (${input.code})` : ''}`;
    const problems: string[] = [];
    const kind = scopeKind(input.code);
    const level =
      kind !== null && (ORG_LEVELS as readonly string[]).includes(kind) ? (kind as OrgLevel) : null;
    if (level === null) {
      problems.push(
        `code ${JSON.stringify(input.code)} is not a district, street or community code (12 digits) or a grid code (15 digits)`,
      );
    }
    if (level !== null && input.level !== null && input.level !== level) {
      problems.push(`level "${input.level}" does not match the code, which is a ${level}`);
    }
    const name = input.name.trim();
    if (name === '' || [...name].length > 80) problems.push('name must have 1–80 characters');
    let parent: string | null = null;
    if (level === 'district') {
      // Districts hang under the province in the demo tree (110000000000) or under the city
      // (110100000000) in NBS tables: accept either, default to the province like the demo.
      const province = input.code.slice(0, 2).padEnd(12, '0');
      parent = input.parentCode ?? province;
      if (parent === input.code || !isWithin(input.code, parent)) {
        problems.push(`parentCode ${parent} is not above the district ${input.code}`);
      }
    } else if (level !== null) {
      parent = parentCode(input.code);
      if (input.parentCode !== null && input.parentCode !== parent) {
        problems.push(
          `parentCode ${input.parentCode} does not match the code (its parent is ${parent ?? 'none'})`,
        );
      }
    }
    // A grid's outline must not cross itself (the app refuses to draw or import one). Street and
    // district outlines are published data, taken as they are.
    if (level === 'grid' && input.boundary) {
      problems.push(...topologyIssues(input.boundary).map(describeGeometryIssue));
    }
    const previous = firstSeen.get(input.code);
    if (previous !== undefined) problems.push(`duplicate code: also in ${previous}`);
    else if (input.code !== '') firstSeen.set(input.code, input.ref);
    if (problems.length > 0 || level === null) {
      errors.push(...problems.map((p) => `${at}: ${p}`));
      continue;
    }
    checked.push({ input, level, parentCode: parent });
  }
  return { checked, errors };
}

/** A server clock after `existing` (when given) and at least `ms`. */
function nextHlc(ms: number, index: number, existing: string | undefined): string {
  let candidate = formatHlc({
    ms: ms + Math.floor(index / 0x10000),
    counter: index % 0x10000,
    node: SERVER_NODE,
  });
  if (existing !== undefined && existing >= candidate) {
    const old = parseHlc(existing);
    candidate =
      old.counter < 0xffff
        ? formatHlc({ ms: old.ms, counter: old.counter + 1, node: SERVER_NODE })
        : formatHlc({ ms: old.ms + 1, counter: 0, node: SERVER_NODE });
  }
  return candidate;
}

function buildRecord(
  unit: Checked,
  existing: OrgUnit | undefined,
  now: Date,
  index: number,
): OrgUnit {
  const nowIso = now.toISOString();
  const { input } = unit;
  const boundary = input.boundary ?? existing?.boundary;
  // A new outline may move the label out of it; the client places labels when there is none.
  const labelPoint = input.boundary ? undefined : existing?.labelPoint;
  return {
    id: existing?.id ?? uuidv7({ msecs: now.getTime() }),
    scope: input.code,
    createdAt: existing?.createdAt ?? nowIso,
    updatedAt: nowIso,
    deleted: false,
    // Every field is written at this clock, so earlier per-field clocks are superseded.
    hlc: nextHlc(now.getTime(), index, existing?.hlc),
    code: input.code,
    level: unit.level,
    name: input.name.trim(),
    parentCode: unit.parentCode,
    ...(boundary ? { boundary } : {}),
    ...(labelPoint ? { labelPoint } : {}),
  };
}

/**
 * Checks `units` against each other and the database, then (unless `dryRun`) writes them in one
 * transaction. Any error: nothing is written and every error is returned.
 */
export async function importOrgUnits(
  storage: Storage,
  units: readonly OrgInput[],
  options: { dryRun?: boolean; now?: Date } = {},
): Promise<ImportOrgResult> {
  const now = options.now ?? new Date();
  const { checked, errors } = checkUnits(units);
  if (units.length === 0) return { ok: false, errors: ['the file has no units'] };
  return storage.transaction(async (tx) => {
    // Every code of the file counts as present: a parent with its own error is reported once, there.
    const inFile = new Set(units.map((u) => u.code));
    const parents = checked
      .filter((c) => c.level !== 'district' && c.parentCode !== null && !inFile.has(c.parentCode))
      .map((c) => c.parentCode ?? '');
    const existing = await findOrgUnits(tx, [...checked.map((c) => c.input.code), ...parents]);
    for (const unit of checked) {
      const parent = unit.parentCode;
      if (unit.level === 'district' || parent === null) continue;
      const known =
        inFile.has(parent) || (existing.has(parent) && existing.get(parent)?.deleted !== true);
      if (!known) {
        errors.push(
          `${unit.input.ref} (${unit.input.code}): parent ${parent} is neither in the file nor in the database`,
        );
      }
    }
    const records: OrgUnit[] = [];
    checked.forEach((unit, index) => {
      const record = buildRecord(unit, existing.get(unit.input.code), now, index);
      const valid = OrgUnitSchema.safeParse(record);
      if (!valid.success) {
        const issue = valid.error.issues[0];
        errors.push(
          `${unit.input.ref} (${unit.input.code}): ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`,
        );
      }
      records.push(record);
    });
    if (errors.length > 0) return { ok: false as const, errors };

    const byLevel: Record<OrgLevel, number> = { district: 0, street: 0, community: 0, grid: 0 };
    let updated = 0;
    for (const record of records) {
      byLevel[record.level] += 1;
      if (existing.has(record.code)) updated += 1;
      if (!options.dryRun) {
        await tx.putRow(
          'orgUnits',
          record.id,
          record.scope,
          record as unknown as Record<string, unknown>,
        );
      }
    }
    return {
      ok: true as const,
      created: records.length - updated,
      updated,
      dryRun: options.dryRun === true,
      byLevel,
    };
  });
}

/** Reads, checks and imports one file: `parseOrgFile` then `importOrgUnits` (nothing written on any error). */
export async function importOrgFile(
  storage: Storage,
  fileName: string,
  text: string,
  options: { dryRun?: boolean; now?: Date } = {},
): Promise<ImportOrgResult> {
  const parsed = parseOrgFile(fileName, text);
  if (parsed.units.length === 0 && parsed.errors.length > 0)
    return { ok: false, errors: parsed.errors };
  if (parsed.errors.length === 0) return importOrgUnits(storage, parsed.units, options);
  // Some rows could not even be read: check the others without writing, to report everything at once.
  const result = await importOrgUnits(storage, parsed.units, { ...options, dryRun: true });
  // Report the file's own errors together with the row checks, in file order.
  const errors = [...parsed.errors, ...(result.ok ? [] : result.errors)];
  return { ok: false, errors: sortByRef(errors) };
}

function refNumber(message: string): number {
  const match = /^(?:feature|line) (\d+)/.exec(message);
  return match ? Number(match[1]) : 0;
}

function sortByRef(errors: string[]): string[] {
  return errors
    .map((message, i) => ({ message, i }))
    .sort((a, b) => refNumber(a.message) - refNumber(b.message) || a.i - b.i)
    .map((e) => e.message);
}
