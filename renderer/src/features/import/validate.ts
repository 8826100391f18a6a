import { v7 as uuidv7 } from 'uuid';
import type { OrgUnit } from '@shared/domain/org';
import type { Relation, Resident } from '@shared/domain/people';
import type { Building, Household, HouseholdType } from '@shared/domain/place';
import { type IdError, parseIdNumber, parsePhone } from '@shared/validation';
import type { AnyChange, EntityData } from '../../db/write';
import type { ColumnMapping, ImportField } from './columns';
import type { SheetRow, SheetTable } from './readTable';

/**
 * Row-by-row validation of a mapped ledger, and the changes that import its valid rows.
 *
 * Buildings are NOT created by an import: a row naming a building the chosen grid does not have
 * is reported ("unknown-building") so that a typo cannot scatter phantom buildings over the map;
 * buildings are added where their location can be picked. Rows group into households by
 * building + unit + room; a household that already exists there receives the new residents,
 * otherwise one is created at its building's location.
 */

type ResidenceType = Resident['residenceType'];

export type IssueCode =
  | 'required'
  | 'too-long'
  | `id-${IdError}`
  | 'birth-date'
  | 'birth-future'
  | 'birth-mismatch'
  | 'sex'
  | 'sex-mismatch'
  | 'phone'
  | 'relation'
  | 'residence-type'
  | 'household-type'
  | 'dup-in-file'
  | 'dup-existing'
  | 'unknown-building'
  | 'ambiguous-building'
  | 'wrong-grid';

/** One reason a row cannot be imported. `value`/`expected`/`row` fill the message. */
export interface RowIssue {
  code: IssueCode;
  field: ImportField;
  value?: string;
  expected?: string;
  /** dup-in-file: the earlier row with the same ID number. */
  row?: number;
}

/** A resident as the row describes it, normalised; the preview table shows these. */
export interface RowData {
  name: string;
  idNumber: string | null;
  phone: string | null;
  sex: 'M' | 'F' | null;
  birthDate: string | null;
  relation: Relation;
  residenceType: ResidenceType;
  buildingName: string;
  unit: string;
  room: string;
  address: string;
  householdType: HouseholdType;
  note: string;
}

export interface RowResult {
  rowNumber: number;
  data: RowData;
  issues: RowIssue[];
  /** The matched building, when found. */
  buildingId: string | null;
}

export interface ImportContext {
  grid: Pick<OrgUnit, 'code' | 'name' | 'labelPoint'>;
  /** The grid's buildings (live ones). */
  buildings: readonly Building[];
  /** The grid's households, so rows for an existing dwelling join it instead of duplicating. */
  households: readonly Household[];
  /** ID numbers of the street's residents on this device (not deleted). */
  existingIdNumbers: ReadonlySet<string>;
  today?: Date;
}

export interface ImportReport {
  rows: RowResult[];
  valid: number;
  invalid: number;
  /** Households the valid rows would create, and existing ones they would join. */
  newHouseholds: number;
  joinedHouseholds: number;
}

const LIMITS: Partial<Record<ImportField, number>> = {
  name: 40,
  unit: 10,
  room: 20,
  address: 200,
  note: 2000,
};

const CN_DIGITS: Record<string, string> = {
  一: '1',
  二: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
  十: '10',
};

function nfkc(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

/** "3号楼", "3栋", "3#", "3" and "３号楼" all name building 3. */
export function buildingKey(name: string): string {
  const s = nfkc(name);
  const m = /^(\d+)(号楼|号|栋|幢|楼|#)?$/.exec(s);
  return m ? `${Number(m[1])}号楼` : s;
}

/** "2单元", "二单元", "2" → "2". */
export function normalizeUnit(unit: string): string {
  const s = nfkc(unit).replace(/单元号?$/, '');
  return CN_DIGITS[s] ?? s;
}

/** "501室", "501号" → "501". */
export function normalizeRoom(room: string): string {
  return nfkc(room).replace(/(室|号|户)$/, '');
}

const SEX: Record<string, 'M' | 'F'> = {
  男: 'M',
  男性: 'M',
  m: 'M',
  male: 'M',
  女: 'F',
  女性: 'F',
  f: 'F',
  female: 'F',
};

// Ledger wording → relation. Checked in order; the first pattern that matches wins.
const RELATIONS: [RegExp, Relation][] = [
  [/^(户主|本人|户主本人|head)$/i, 'head'],
  [/^(配偶|妻子?|丈夫|夫|老伴|spouse)$/i, 'spouse'],
  [/^(儿媳|女婿|儿媳妇|child-in-law)$/i, 'child-in-law'],
  [/^(外?孙子?女?|孙辈|外孙[子女]?|grandchild)$/i, 'grandchild'],
  [/^(外?祖[父母]|祖父母|爷爷|奶奶|外公|外婆|姥姥|姥爷|grandparent)$/i, 'grandparent'],
  [/^(子女?|儿子|女儿|长[子女]|次[子女]|[二三四五]?[子女]|养[子女]|继[子女]|child)$/i, 'child'],
  [/^(父亲?|母亲?|父母|公公|婆婆|岳父|岳母|parent)$/i, 'parent'],
  [/^(兄弟姐妹|[兄弟姐妹]|哥哥|弟弟|姐姐|妹妹|sibling)$/i, 'sibling'],
  [/^(租户|租客|租住人员?|承租人|tenant)$/i, 'tenant'],
  [/^(其他|其它|亲属|other)$/i, 'other'],
];

const RESIDENCE: [RegExp, ResidenceType][] = [
  [/^(户籍|户籍人口|本地户籍|户籍居民|本市户籍|registered)$/i, 'registered'],
  [/^(常住|常住人口|人户分离|非户籍常住|外埠常住|resident)$/i, 'resident'],
  [/^(流动|流动人口|暂住|暂住人口|外来人口|floating)$/i, 'floating'],
];

const HOUSEHOLD_TYPES: [RegExp, HouseholdType][] = [
  [/^(自住|自有|自购|产权房?|owner)$/i, 'owner'],
  [/^(出租|租住|租赁|rented)$/i, 'rented'],
  [/^(空置|闲置|空房|vacant)$/i, 'vacant'],
  [/^(其他|其它|other)$/i, 'other'],
];

function lookup<T>(table: [RegExp, T][], value: string): T | undefined {
  const s = nfkc(value);
  return table.find(([re]) => re.test(s))?.[1];
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Parses the birth-date spellings ledgers use (1949-12-31, 1949/12/31, 1949.12.31, 19491231,
 * 1949年12月31日). Returns `null` for something that is not a real day from 1900 on.
 */
export function parseBirthDate(value: string): string | null {
  const s = nfkc(value);
  const m =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || !isCalendarDate(y, mo, d)) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function todayIso(today: Date): string {
  const y = today.getFullYear();
  const m = String(today.getMonth() + 1).padStart(2, '0');
  const d = String(today.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

function gridMatches(value: string, grid: ImportContext['grid']): boolean {
  const v = nfkc(value);
  const name = nfkc(grid.name);
  return v === grid.code || v === name || name.endsWith(v) || v.endsWith(name);
}

/** Builds the building lookup: key → buildings (several when compounds reuse numbers). */
function buildingIndex(buildings: readonly Building[]): Map<string, Building[]> {
  const index = new Map<string, Building[]>();
  for (const b of buildings) {
    if (b.deleted) continue;
    const key = buildingKey(b.name);
    index.set(key, [...(index.get(key) ?? []), b]);
  }
  return index;
}

/** Validates one row (everything that needs no other row). */
function validateRow(
  row: SheetRow,
  mapping: ColumnMapping,
  context: ImportContext,
  buildings: Map<string, Building[]>,
  today: string,
): RowResult {
  const cell = (field: ImportField): string => {
    const index = mapping[field];
    return index === null ? '' : (row.cells[index] ?? '').trim();
  };
  const issues: RowIssue[] = [];
  const required = (field: ImportField): string => {
    const value = cell(field);
    if (value === '') issues.push({ code: 'required', field });
    return value;
  };

  const name = required('name');
  const buildingName = required('building');
  const room = normalizeRoom(required('room'));
  const unit = normalizeUnit(cell('unit'));
  for (const [field, max] of Object.entries(LIMITS) as [ImportField, number][]) {
    const value = field === 'room' ? room : field === 'unit' ? unit : cell(field);
    if (value.length > max) issues.push({ code: 'too-long', field, value, expected: String(max) });
  }

  // ID number: the source of truth for birth date and sex when present.
  let idNumber: string | null = null;
  let birthDate: string | null = null;
  let sex: 'M' | 'F' | null = null;
  const idText = cell('idNumber');
  if (idText !== '') {
    const id = parseIdNumber(idText, context.today);
    if (id.ok) {
      idNumber = id.idNumber;
      birthDate = id.birthDate;
      sex = id.sex;
    } else {
      issues.push({ code: `id-${id.error}`, field: 'idNumber', value: idText });
    }
  }

  const birthText = cell('birthDate');
  if (birthText !== '') {
    const parsed = parseBirthDate(birthText);
    if (parsed === null) {
      issues.push({ code: 'birth-date', field: 'birthDate', value: birthText });
    } else if (parsed > today) {
      issues.push({ code: 'birth-future', field: 'birthDate', value: birthText });
    } else if (birthDate !== null && parsed !== birthDate) {
      issues.push({
        code: 'birth-mismatch',
        field: 'birthDate',
        value: parsed,
        expected: birthDate,
      });
    } else {
      birthDate = parsed;
    }
  } else if (idText === '') {
    issues.push({ code: 'required', field: 'birthDate' });
  }

  const sexText = cell('sex');
  if (sexText !== '') {
    const parsed = SEX[nfkc(sexText).toLowerCase()];
    if (!parsed) issues.push({ code: 'sex', field: 'sex', value: sexText });
    else if (sex !== null && parsed !== sex)
      issues.push({ code: 'sex-mismatch', field: 'sex', value: sexText, expected: sex });
    else sex = parsed;
  } else if (idText === '') {
    issues.push({ code: 'required', field: 'sex' });
  }

  let phone: string | null = null;
  const phoneText = cell('phone');
  if (phoneText !== '') {
    const parsed = parsePhone(phoneText);
    if (parsed.ok) phone = parsed.normalized;
    else issues.push({ code: 'phone', field: 'phone', value: phoneText });
  }

  // Empty relation or residence type: the neutral values ("other", "resident" = lives here);
  // unreadable text is an error, since guessing would put wrong facts on record.
  const relationText = cell('relation');
  const relation = relationText === '' ? 'other' : lookup(RELATIONS, relationText);
  if (!relation) issues.push({ code: 'relation', field: 'relation', value: relationText });
  const residenceText = cell('residenceType');
  const residenceType = residenceText === '' ? 'resident' : lookup(RESIDENCE, residenceText);
  if (!residenceType)
    issues.push({ code: 'residence-type', field: 'residenceType', value: residenceText });
  const typeText = cell('householdType');
  const householdType = typeText === '' ? 'other' : lookup(HOUSEHOLD_TYPES, typeText);
  if (!householdType)
    issues.push({ code: 'household-type', field: 'householdType', value: typeText });

  const gridText = cell('grid');
  if (gridText !== '' && !gridMatches(gridText, context.grid))
    issues.push({
      code: 'wrong-grid',
      field: 'grid',
      value: gridText,
      expected: context.grid.name,
    });

  let building: Building | null = null;
  if (buildingName !== '') {
    const compound = nfkc(cell('compound'));
    let candidates = buildings.get(buildingKey(buildingName)) ?? [];
    if (compound !== '') candidates = candidates.filter((b) => nfkc(b.compound) === compound);
    if (candidates.length === 1) building = candidates[0] ?? null;
    else if (candidates.length === 0)
      issues.push({ code: 'unknown-building', field: 'building', value: buildingName });
    else
      issues.push({
        code: 'ambiguous-building',
        field: 'building',
        value: buildingName,
        expected: candidates.map((b) => b.compound).join('、'),
      });
  }

  const address =
    cell('address') || (building ? `${building.address}${unit ? `${unit}单元` : ''}${room}` : '');

  return {
    rowNumber: row.rowNumber,
    buildingId: building?.id ?? null,
    issues,
    data: {
      name,
      idNumber,
      phone,
      sex,
      birthDate,
      relation: relation ?? 'other',
      residenceType: residenceType ?? 'resident',
      buildingName,
      unit,
      room,
      address,
      householdType: householdType ?? 'other',
      note: cell('note'),
    },
  };
}

function householdKey(buildingId: string, unit: string, room: string): string {
  return `${buildingId}|${unit}|${room}`;
}

/** Yields to the event loop so a progress bar can repaint during long loops. */
function breathe(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Validates every row and names each problem. Cross-row rules: an ID number may appear once in
 * the file (later rows are reported against the first) and must not belong to a resident the
 * street already has.
 */
export async function validateTable(
  table: SheetTable,
  mapping: ColumnMapping,
  context: ImportContext,
  onProgress?: (done: number, total: number) => void,
): Promise<ImportReport> {
  const today = todayIso(context.today ?? new Date());
  const buildings = buildingIndex(context.buildings);
  const firstRowOfId = new Map<string, number>();
  const rows: RowResult[] = [];
  const total = table.rows.length;
  for (let i = 0; i < total; i += 1) {
    const row = table.rows[i];
    if (!row) continue;
    const result = validateRow(row, mapping, context, buildings, today);
    const id = result.data.idNumber;
    if (id !== null) {
      const first = firstRowOfId.get(id);
      if (first !== undefined)
        result.issues.push({ code: 'dup-in-file', field: 'idNumber', value: id, row: first });
      else firstRowOfId.set(id, row.rowNumber);
      if (context.existingIdNumbers.has(id))
        result.issues.push({ code: 'dup-existing', field: 'idNumber', value: id });
    }
    rows.push(result);
    if (i % 1000 === 999) {
      onProgress?.(i + 1, total);
      await breathe();
    }
  }
  onProgress?.(total, total);

  const existing = new Set(
    context.households
      .filter((h) => !h.deleted)
      .map((h) => householdKey(h.buildingId, normalizeUnit(h.unit), normalizeRoom(h.room))),
  );
  const created = new Set<string>();
  const joined = new Set<string>();
  for (const r of rows) {
    if (r.issues.length > 0 || r.buildingId === null) continue;
    const key = householdKey(r.buildingId, r.data.unit, r.data.room);
    (existing.has(key) ? joined : created).add(key);
  }
  const invalid = rows.filter((r) => r.issues.length > 0).length;
  return {
    rows,
    valid: rows.length - invalid,
    invalid,
    newHouseholds: created.size,
    joinedHouseholds: joined.size,
  };
}

/**
 * The changes that import the report's valid rows: new households (with their head resident
 * when a row says 户主) and one resident per row. All ids are made here so that households and
 * their residents reference each other within the one batch.
 */
export function importChanges(report: ImportReport, context: ImportContext): AnyChange[] {
  const { grid, buildings, households } = context;
  const buildingById = new Map(buildings.map((b) => [b.id, b]));
  const householdIdByKey = new Map<string, string>();
  for (const h of households) {
    if (!h.deleted)
      householdIdByKey.set(
        householdKey(h.buildingId, normalizeUnit(h.unit), normalizeRoom(h.room)),
        h.id,
      );
  }
  const newHouseholds = new Map<
    string,
    { id: string; data: EntityData<'households'>; head: boolean }
  >();
  const residents: AnyChange[] = [];

  for (const r of report.rows) {
    if (r.issues.length > 0 || r.buildingId === null) continue;
    const building = buildingById.get(r.buildingId);
    const { data } = r;
    // Guaranteed by validation (a row without them has issues); re-checked for the type system.
    if (!building || data.birthDate === null || data.sex === null) continue;
    const key = householdKey(building.id, data.unit, data.room);
    const residentId = uuidv7();
    let householdId = householdIdByKey.get(key);
    if (householdId === undefined) {
      householdId = uuidv7();
      householdIdByKey.set(key, householdId);
      newHouseholds.set(key, {
        id: householdId,
        head: false,
        data: {
          gridCode: grid.code,
          buildingId: building.id,
          unit: data.unit,
          room: data.room,
          address: data.address,
          type: data.householdType,
          headResidentId: null,
          location: building.location,
          note: '',
        },
      });
    }
    const pending = newHouseholds.get(key);
    if (pending && !pending.head && data.relation === 'head') {
      pending.head = true;
      pending.data.headResidentId = residentId;
    }
    residents.push({
      op: 'create',
      table: 'residents',
      scope: grid.code,
      id: residentId,
      data: {
        householdId,
        gridCode: grid.code,
        name: data.name,
        idNumber: data.idNumber,
        phone: data.phone,
        birthDate: data.birthDate,
        sex: data.sex,
        relation: data.relation,
        residenceType: data.residenceType,
        status: 'active',
        tags: [],
        partyMember: false,
        note: data.note,
      },
    });
  }
  const householdChanges: AnyChange[] = [...newHouseholds.values()].map((h) => ({
    op: 'create',
    table: 'households',
    scope: grid.code,
    id: h.id,
    data: h.data,
  }));
  return [...householdChanges, ...residents];
}
