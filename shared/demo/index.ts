import type { Membership, User } from '../domain/account';
import type { EntityOf, EntityTable } from '../domain/entities';
import type { OrgUnit } from '../domain/org';
import type { Building } from '../domain/place';
import { buildAccounts, type DemoAccountSet } from './accounts';
import { caseEventRows, simulateCases } from './cases';
import { FIXED_DEPARTMENT_COUNT, buildDepartments } from './departments';
import { DAY, RecordFactory, type Fields } from './envelope';
import {
  buildGrids,
  gridCodes,
  gridCountFor,
  resolveStreet,
  shortCommunityName,
  type DemoStreet,
} from './grids';
import { resolveOptions, type DemoOptions, type ResolvedOptions } from './options';
import { ResidentBuilder, type HouseholdPeople } from './people';
import { PlaceBuilder, type HouseholdInfo } from './places';
import { createRng } from './rng';
import { DEMO_NEGATIVE_ITEM_COUNT, buildRules, demoRuleCount } from './rules';
import { VisitBuilder } from './visits';

/**
 * Deterministic demo street generator: a real Beijing street (default 和平里街道, 东城区) split into
 * grids, filled with buildings, households, residents, visits, needs and a year of 接诉即办 cases.
 * Platform-free, so the app's 载入示例街道 button, the IndexedDB benchmark and the server CLI all
 * produce the same records from the same options.
 */

export type { DemoOptions } from './options';
export { DEFAULT_DEMO_STREET } from './options';
export { HOUSEHOLDS_PER_GRID } from './grids';

/** Rows of one table, at most `batchSize` of them. */
export interface DemoBatch<T extends EntityTable = EntityTable> {
  table: T;
  rows: EntityOf<T>[];
}

/** A batch whose `rows` type follows its `table` (what the generator actually yields). */
export type DemoTableBatch = { [K in EntityTable]: DemoBatch<K> }[EntityTable];

/** Counts to expect before generating, for progress bars and sanity checks. */
export interface DemoPlan {
  grids: number;
  /** Communities that receive grids (the first ones in code order when grids are fewer). */
  communities: number;
  /** Estimated (the layout is random); within a few per cent. */
  buildings: number;
  households: number;
  /** Expected value; the generated count is within a few per cent. */
  residents: number;
  cases: number;
  /** Estimate of every record of every table, for progress bars. */
  totalRecords: number;
}

/** The order tables are emitted in: parents before the rows that refer to them. */
export const DEMO_TABLE_ORDER = [
  'orgUnits',
  'departments',
  'responsibilityRules',
  'negativeList',
  'buildings',
  'households',
  'residents',
  'visits',
  'needs',
  'needEvents',
  'cases',
  'caseEvents',
] as const satisfies readonly EntityTable[];

// Averages measured on the default 50k-household street (seed 42), used only for estimates.
const HOUSEHOLDS_PER_BUILDING = 40;
const VISITS_PER_HOUSEHOLD_YEAR = 3.25;
const NEEDS_PER_VISIT = 0.059;
const EVENTS_PER_NEED = 4.67;
const EVENTS_PER_CASE = 5.5;

interface Prepared {
  opts: ResolvedOptions;
  street: DemoStreet;
  gridCodes: string[];
  departments: ReturnType<typeof buildDepartments>;
  accounts: DemoAccountSet;
}

function prepare(options: DemoOptions): Prepared {
  const opts = resolveOptions(options);
  const street = resolveStreet(opts.streetCode);
  const codes = gridCodes(street, gridCountFor(opts.households)).map((g) => g.code);
  const orgMs = opts.startMs - 90 * DAY;
  const departments = buildDepartments(
    street,
    new RecordFactory(createRng(opts.seed, 'department-ids')),
    orgMs,
  );
  const accounts = buildAccounts(
    street,
    codes,
    departments,
    createRng(opts.seed, 'accounts'),
    new RecordFactory(createRng(opts.seed, 'account-ids')),
    opts.startMs - 60 * DAY,
  );
  return { opts, street, gridCodes: codes, departments, accounts };
}

/** What `generateDemoStreet` will produce, computed without generating it. */
export function planDemoStreet(options: DemoOptions): DemoPlan {
  const opts = resolveOptions(options);
  const street = resolveStreet(opts.streetCode);
  const grids = gridCountFor(opts.households);
  const communities = Math.min(grids, street.communities.length);
  const buildings = Math.max(grids, Math.round(opts.households / HOUSEHOLDS_PER_BUILDING));
  const residents = Math.round(opts.households * opts.residentsPerHousehold);
  const cases = Math.round(opts.households * opts.casesPerHousehold);
  const visits = opts.households * VISITS_PER_HOUSEHOLD_YEAR * (opts.months / 12);
  const needs = visits * NEEDS_PER_VISIT;
  const totalRecords = Math.round(
    2 +
      street.communities.length +
      grids +
      (FIXED_DEPARTMENT_COUNT + street.communities.length) +
      demoRuleCount(street.communities.length) +
      DEMO_NEGATIVE_ITEM_COUNT +
      buildings +
      opts.households +
      residents +
      visits +
      needs * (1 + EVENTS_PER_NEED) +
      cases * (1 + EVENTS_PER_CASE),
  );
  return {
    grids,
    communities,
    buildings,
    households: opts.households,
    residents,
    cases,
    totalRecords,
  };
}

/**
 * Demo sign-ins: one user per role (`demo-grid` works grid 001 of the first community) plus a grid
 * worker per grid and a liaison per department. Visits, needs and case events name these users.
 */
export function demoAccounts(options: DemoOptions): { users: User[]; memberships: Membership[] } {
  const { accounts } = prepare(options);
  return { users: accounts.users, memberships: accounts.memberships };
}

function* batched<T extends EntityTable>(
  table: T,
  rows: Iterable<EntityOf<T>>,
  size: number,
): Generator<DemoBatch<T>> {
  let batch: EntityOf<T>[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      yield { table, rows: batch };
      batch = [];
    }
  }
  if (batch.length > 0) yield { table, rows: batch };
}

/**
 * Streams the demo street table by table (`DEMO_TABLE_ORDER`), `batchSize` rows at a time. Only
 * compact per-household summaries are kept between tables, so 50k households (≈150k residents,
 * 150k cases, 800k case events) never sit in memory as full records; cases are simulated twice
 * (the second time for their events) rather than held.
 */
export function* generateDemoStreet(
  options: DemoOptions,
  batchSize = 2000,
): Generator<DemoTableBatch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be ≥ 1');
  const { opts, street, departments, accounts } = prepare(options);
  const rng = (name: string) => createRng(opts.seed, name);
  const ids = (name: string) => new RecordFactory(rng(name));
  const orgMs = opts.startMs - 90 * DAY;

  const grids = buildGrids(street, opts.households, rng('grids'));

  // --- org units: district, street, communities, grids
  const orgIds = ids('org-ids');
  const orgUnits: OrgUnit[] = [
    Object.assign(orgIds.envelope(street.district.code, orgMs), {
      code: street.district.code,
      level: 'district',
      name: street.district.name,
      parentCode: street.district.parentCode,
    } satisfies Fields<OrgUnit>),
    Object.assign(orgIds.envelope(street.code, orgMs), {
      code: street.code,
      level: 'street',
      name: street.name,
      parentCode: street.district.code,
      boundary: street.boundary,
      labelPoint: [street.labelPoint[0], street.labelPoint[1]],
    } satisfies Fields<OrgUnit>),
  ];
  for (const c of street.communities) {
    const own = grids.filter((g) => g.community.code === c.code);
    const middle = own[Math.floor(own.length / 2)];
    orgUnits.push(
      Object.assign(orgIds.envelope(c.code, orgMs), {
        code: c.code,
        level: 'community',
        name: shortCommunityName(c.name),
        parentCode: street.code,
        ...(middle ? { labelPoint: middle.labelPoint } : {}),
      } satisfies Fields<OrgUnit>),
    );
  }
  for (const g of grids) {
    orgUnits.push(
      Object.assign(orgIds.envelope(g.code, orgMs), {
        code: g.code,
        level: 'grid',
        name: g.name,
        parentCode: g.community.code,
        boundary: g.boundary,
        labelPoint: g.labelPoint,
      } satisfies Fields<OrgUnit>),
    );
  }
  yield* batched('orgUnits', orgUnits, batchSize);
  yield* batched('departments', departments, batchSize);

  // --- 权责清单 and 负面清单: they name departments, and dispatch reads them.
  const lists = buildRules(
    street,
    departments,
    grids.map((g) => g.code),
    ids('rule-ids'),
    {
      orgMs,
      startMs: opts.startMs,
      nowMs: opts.nowMs,
    },
  );
  yield* batched('responsibilityRules', lists.rules, batchSize);
  yield* batched('negativeList', lists.negativeList, batchSize);

  // --- buildings and households
  const places = new PlaceBuilder(
    street,
    grids,
    rng('places'),
    ids('place-ids'),
    opts.startMs - 30 * DAY,
  );
  const buildings: Building[] = places.buildings.map((b) => b.record);
  yield* batched('buildings', buildings, batchSize);
  const households: HouseholdInfo[] = [];
  yield* batched(
    'households',
    places.households((h) => households.push(h)),
    batchSize,
  );

  // --- residents
  const residentBuilder = new ResidentBuilder(rng('residents'), ids('resident-ids'), opts);
  const people: HouseholdPeople[] = [];
  function* residents() {
    for (const h of households) {
      const grid = grids[h.gridIndex];
      if (!grid) continue;
      const { rows, people: summary } = residentBuilder.residentsOf(h, grid.code);
      people.push(summary);
      yield* rows;
    }
  }
  yield* batched('residents', residents(), batchSize);

  // --- visits, then the needs they surfaced and the needs' events
  const visitBuilder = new VisitBuilder(rng('visits'), ids('visit-ids'), opts, accounts);
  function* visits() {
    for (let i = 0; i < households.length; i++) {
      const h = households[i];
      const p = people[i];
      const grid = h ? grids[h.gridIndex] : undefined;
      if (!h || !p || !grid) continue;
      yield* visitBuilder.visitsOf(h, p, grid.code);
    }
  }
  yield* batched('visits', visits(), batchSize);
  yield* batched('needs', visitBuilder.needs, batchSize);
  yield* batched('needEvents', visitBuilder.needEvents, batchSize);

  // --- cases, then (a second, identical simulation) their events
  const gridIndexByCode = new Map(grids.map((g, i) => [g.code, i]));
  const buildingsByGrid: number[][] = grids.map(() => []);
  buildings.forEach((b, i) => buildingsByGrid[gridIndexByCode.get(b.gridCode) ?? 0]?.push(i));
  const world = {
    opts,
    streetCode: street.code,
    grids,
    households,
    people,
    buildings,
    buildingsByGrid,
    departments,
    accounts,
  };
  function* caseRows() {
    for (const sim of simulateCases(world, rng('cases'), ids('case-ids')))
      if (sim.row) yield sim.row;
  }
  yield* batched('cases', caseRows(), batchSize);
  function* eventRows() {
    const eventIds = ids('case-event-ids');
    for (const sim of simulateCases(world, rng('cases'), ids('case-ids'), false)) {
      yield* caseEventRows(sim, eventIds);
    }
  }
  yield* batched('caseEvents', eventRows(), batchSize);
}
