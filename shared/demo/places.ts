import { booleanPointInPolygon } from '@turf/turf';
import type { Building, Household, HouseholdType } from '../domain/place';
import { DAY, type RecordFactory, type Fields } from './envelope';
import { randomPointInGrid, shortCommunityName, type DemoGrid, type DemoStreet } from './grids';
import type { Rng } from './rng';

/**
 * Buildings (楼栋) and households (户) of an old inner-city street. 和平里 was built from the 1950s
 * (和平里一区–十四区 for ministries' staff) through the 1990s: mostly 5–6 storey walk-ups of 2–4
 * stairwells (单元) with 2–3 flats per landing, some 12–18 storey towers from the 1980s–90s, a few
 * mixed buildings with shops at street level and a handful of 平房 courtyards left among them.
 */

type BuildingStyle = 'walk-up' | 'tower' | 'mixed' | 'courtyard';

const STYLE_WEIGHTS: readonly (readonly [BuildingStyle, number])[] = [
  ['walk-up', 0.72],
  ['tower', 0.1],
  ['mixed', 0.06],
  ['courtyard', 0.12],
];

/** Rooms of a 平房 courtyard, named as residents name them. */
const COURTYARD_ROOMS = ['北房', '南房', '东厢房', '西厢房', '倒座房', '耳房', '后罩房'];

/** What later stages need to know about a household, kept compact for 50k+ of them. */
export interface HouseholdInfo {
  id: string;
  gridIndex: number;
  buildingId: string;
  address: string;
  location: [number, number];
  type: HouseholdType;
  createdMs: number;
  /** Id chosen now for the household head (owner-occupied only) so the household can point to it. */
  headId: string | null;
  headCreatedMs: number;
}

interface BuildingDraft {
  record: Building;
  style: BuildingStyle;
  roomsPerFloor: number;
  households: number;
}

function pickStyle(rng: Rng): BuildingStyle {
  let r = rng.next();
  for (const [style, weight] of STYLE_WEIGHTS) {
    r -= weight;
    if (r < 0) return style;
  }
  return 'walk-up';
}

function streetBase(name: string): string {
  return name.replace(/(街道|地区|镇|乡)$/, '');
}

/**
 * Names of compounds (小区 / 院) in a community, derived from its name the way Beijing's are:
 * 七区社区 → 和平里七区, 安贞苑社区 → 安贞苑, 化工社区 → 化工小区 / 化工宿舍.
 */
function compoundNames(street: DemoStreet, communityName: string): string[] {
  const base = shortCommunityName(communityName).replace(/社区$/, '');
  if (/^[一二三四五六七八九十]+区$/.test(base)) return [`${streetBase(street.name)}${base}`];
  if (/(苑|里|园|院|庄)$/.test(base)) return [base, `${base}北区`, `${base}南区`];
  return [`${base}小区`, `${base}北里`, `${base}南里`, `${base}西里`, `${base}宿舍`, `${base}家园`];
}

/**
 * Lays out buildings in every grid until its households are housed, and then the households in
 * them, in grid order. Everything is registered shortly before the history window opens, as when a
 * street first loads its 人房户 register.
 */
export class PlaceBuilder {
  readonly buildings: BuildingDraft[] = [];
  private readonly numberByCompound = new Map<string, number>();

  constructor(
    private readonly street: DemoStreet,
    private readonly grids: readonly DemoGrid[],
    private readonly rng: Rng,
    private readonly factory: RecordFactory,
    private readonly registeredMs: number,
  ) {
    for (const grid of grids) this.layOutGrid(grid);
  }

  private nextNumber(compound: string): number {
    const n = (this.numberByCompound.get(compound) ?? 0) + 1;
    this.numberByCompound.set(compound, n);
    return n;
  }

  private layOutGrid(grid: DemoGrid): void {
    const names = compoundNames(this.street, grid.community.name);
    // Each grid covers one to three compounds of its community.
    const compounds = Array.from({ length: 1 + this.rng.int(3) }, (_, i) =>
      i === 0 ? (names[(grid.number - 1) % names.length] ?? '') : this.rng.pick(names),
    );
    const hutong = `${shortCommunityName(grid.community.name).replace(/社区$/, '')}胡同`;
    let remaining = grid.households;
    while (remaining > 0) {
      const style = pickStyle(this.rng);
      let floors: number;
      let units: number;
      let roomsPerFloor: number;
      if (style === 'walk-up') {
        floors = this.rng.chance(0.8) ? this.rng.range(5, 6) : this.rng.pick([3, 4, 7]);
        units = this.rng.range(2, 4);
        roomsPerFloor = this.rng.range(2, 3);
      } else if (style === 'tower') {
        floors = this.rng.range(12, 18);
        units = this.rng.range(1, 2);
        roomsPerFloor = this.rng.range(4, 6);
      } else if (style === 'mixed') {
        floors = this.rng.range(4, 6);
        units = this.rng.range(2, 3);
        roomsPerFloor = 2;
      } else {
        floors = 1;
        units = 1;
        roomsPerFloor = this.rng.range(3, 9);
      }
      // Shops take the ground floor of a mixed building.
      const residentialFloors = style === 'mixed' ? floors - 1 : floors;
      const capacity = residentialFloors * units * roomsPerFloor;
      const households = Math.min(capacity, remaining);
      remaining -= households;

      const compound = style === 'courtyard' ? hutong : this.rng.pick(compounds);
      const number = this.nextNumber(compound);
      const name = style === 'courtyard' ? `${number}号院` : `${number}号楼`;
      const createdMs = this.registeredMs + this.rng.int(10 * DAY);
      this.buildings.push({
        style,
        roomsPerFloor,
        households,
        record: Object.assign(this.factory.envelope(grid.code, createdMs), {
          gridCode: grid.code,
          communityCode: grid.community.code,
          compound,
          name,
          address: `${compound}${name}`,
          kind: style === 'courtyard' ? 'bungalow' : style === 'mixed' ? 'mixed' : 'residential',
          floors,
          units,
          location: randomPointInGrid(grid, this.rng),
        } satisfies Fields<Building>),
      });
    }
  }

  /** Household records building by building; `info` receives the compact summary of each. */
  *households(info: (h: HouseholdInfo) => void): Generator<Household> {
    const gridIndexByCode = new Map(this.grids.map((g, i) => [g.code, i]));
    for (const draft of this.buildings) {
      const b = draft.record;
      const gridIndex = gridIndexByCode.get(b.gridCode) ?? 0;
      const grid = this.grids[gridIndex];
      if (!grid) continue;
      const firstFloor = draft.style === 'mixed' ? 2 : 1;
      let made = 0;
      for (let unit = 1; unit <= b.units && made < draft.households; unit++) {
        for (let floor = firstFloor; floor <= b.floors && made < draft.households; floor++) {
          for (let k = 1; k <= draft.roomsPerFloor && made < draft.households; k++) {
            made++;
            const courtyard = draft.style === 'courtyard';
            const room = courtyard
              ? `${COURTYARD_ROOMS[(k - 1) % COURTYARD_ROOMS.length] ?? '北房'}${k > COURTYARD_ROOMS.length ? Math.ceil(k / COURTYARD_ROOMS.length) : ''}`
              : `${floor}${String(k).padStart(2, '0')}`;
            const unitLabel = courtyard ? '' : String(unit);
            const r = this.rng.next();
            // ~5% vacant, ~20% rented (more in courtyards and towers), the rest owner-occupied.
            const rentedShare = courtyard ? 0.3 : draft.style === 'tower' ? 0.24 : 0.19;
            const type: HouseholdType =
              r < 0.05 ? 'vacant' : r < 0.05 + rentedShare ? 'rented' : 'owner';
            // A few metres of jitter so a building's flats do not stack on one map pixel.
            let location: [number, number] = [
              b.location[0] + (this.rng.next() - 0.5) * 0.00008,
              b.location[1] + (this.rng.next() - 0.5) * 0.00006,
            ];
            if (!booleanPointInPolygon(location, grid.boundary))
              location = [b.location[0], b.location[1]];
            const createdMs = Date.parse(b.createdAt) + this.rng.int(5 * DAY);
            const headCreatedMs = createdMs + this.rng.int(2 * DAY);
            const envelope = this.factory.envelope(grid.code, createdMs);
            const headId = type === 'owner' ? this.factory.id(headCreatedMs) : null;
            const address = courtyard
              ? `${b.address}${room}`
              : `${b.address}${unitLabel}单元${room}`;
            info({
              id: envelope.id,
              gridIndex,
              buildingId: b.id,
              address,
              location,
              type,
              createdMs,
              headId,
              headCreatedMs,
            });
            yield Object.assign(envelope, {
              gridCode: grid.code,
              buildingId: b.id,
              unit: unitLabel,
              room,
              address,
              type,
              headResidentId: headId,
              location,
              note: '',
            } satisfies Fields<Household>);
          }
        }
      }
    }
  }
}
