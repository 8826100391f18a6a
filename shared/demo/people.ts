import { SPECIAL_GROUPS } from '../catalogs/specialGroups';
import type { Relation, Resident } from '../domain/people';
import { makeIdNumber } from '../validation/idNumber';
import { DAY, beijingDate, type RecordFactory, type Fields } from './envelope';
import { drawName, drawSurname } from './names';
import type { ResolvedOptions } from './options';
import type { HouseholdInfo } from './places';
import type { Rng } from './rng';

/**
 * Residents of an old inner-city Beijing street.
 *
 * Figures behind the mix (rounded; see research/mission-anchors.md for the street scale):
 * - Age: Beijing's 2020 census counts 19.6% aged 60+; the core districts are older (东城 ≈ 25%)
 *   and 1950s–80s ministry compounds like 和平里 older still, so households are composed to give
 *   ≈ 27% aged 60+ and ≈ 5% aged 80+, with few young children (≈ 8% under 15).
 * - Residence: ≈ 60% 户籍 registered here, 25% 常住 living here with hukou elsewhere (mostly another
 *   Beijing district: 人户分离 is common in 东城), 15% 流动 floating population, concentrated in
 *   rented flats — 东城's 2020 share of 外省市来京人员 is about one in five, lower in a street with
 *   little rental stock.
 * - Special groups, checked against the age they require: living-alone elders are the 60+ living
 *   by themselves (≈ 6% of 60+); disabled ≈ 4% overall (China's 2006 disability survey: 6.3%, far
 *   higher among the old); 低保 ≈ 1% of households (Beijing ≈ 0.5–1% of registered residents);
 *   veterans ≈ 1.5% of adults; party members ≈ 10% of adults (national 7%, far above it in ministry
 *   compounds).
 */

type Sex = 'M' | 'F';
type Line = 'head' | 'own' | 'child' | 'grandchild';

interface MemberSpec {
  relation: Relation;
  age: number;
  sex: Sex;
  line: Line;
}

/** What visits, needs and cases need to know about a household's people. */
export interface HouseholdPeople {
  /** Union of the members' special-group tags. */
  tags: string[];
  /** The member a grid worker visits for (first tagged member), or null. */
  focusResidentId: string | null;
  focusAge: number;
  /** A member who would call 12345: name and phone of the eldest adult with a phone. */
  contactName: string | null;
  contactPhone: string | null;
}

const KNOWN_GROUPS = new Set(SPECIAL_GROUPS.map((g) => g.code));

/** Tag only if the catalogue has it, so a renamed group never produces an unknown tag. */
function tagIf(tags: string[], code: string, condition: boolean): void {
  if (condition && KNOWN_GROUPS.has(code) && !tags.includes(code)) tags.push(code);
}

// Real county-level area codes (GB/T 2260) for ID numbers first issued elsewhere.
const BEIJING_OTHER = ['110102', '110105', '110106', '110108', '110114', '110115', '110112'];
// 110103 崇文 and 110104 宣武 were merged into 东城/西城 in 2010 but stay on cards issued before.
const REGISTERED_HERE = [
  ['110101', 70],
  ['110103', 6],
  ['110104', 5],
  ['110102', 8],
  ['110105', 6],
  ['110108', 5],
] as const;
const PROVINCES = [
  '130104',
  '130602',
  '131002',
  '131102',
  '140105',
  '150102',
  '210102',
  '220102',
  '230103',
  '320102',
  '340102',
  '370102',
  '371302',
  '410105',
  '411302',
  '420102',
  '430102',
  '500103',
  '510104',
  '610103',
  '120101',
  '130402',
  '360102',
  '620102',
];
const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '156',
  '158',
  '159',
  '166',
  '176',
  '177',
  '180',
  '182',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '198',
  '199',
];

function poissonPlusOne(rng: Rng, mean: number): number {
  if (mean <= 1) return rng.chance(mean) ? 1 : 0;
  const limit = Math.exp(-(mean - 1));
  let k = 0;
  let p = rng.next();
  while (p > limit && k < 7) {
    k++;
    p *= rng.next();
  }
  return 1 + k;
}

/** Age of an older person: 60–94, about one in five of them 80 or over (as in 东城's 2020 census). */
function elderAge(rng: Rng): number {
  return 60 + Math.floor(Math.pow(rng.next(), 2.5) * 35);
}

function other(sex: Sex): Sex {
  return sex === 'M' ? 'F' : 'M';
}

/** Family structure of an owner-occupied household of `size` people. */
function ownerFamily(rng: Rng, size: number): MemberSpec[] {
  const headSex: Sex = rng.chance(0.62) ? 'M' : 'F';
  const head = (age: number): MemberSpec => ({ relation: 'head', age, sex: headSex, line: 'head' });
  const spouse = (age: number): MemberSpec => ({
    relation: 'spouse',
    age: Math.max(20, Math.round(age + (headSex === 'M' ? -2 : 2) + rng.normal(0, 2))),
    sex: other(headSex),
    line: 'own',
  });
  const child = (parentAge: number, relation: Relation = 'child'): MemberSpec => ({
    relation,
    age: Math.max(0, parentAge - rng.range(24, 34)),
    sex: rng.chance(0.51) ? 'M' : 'F',
    line: relation === 'grandchild' ? 'grandchild' : 'child',
  });
  const r = rng.next();
  if (size === 1) return [head(r < 0.55 ? elderAge(rng) : rng.range(23, 59))];
  if (size === 2) {
    if (r < 0.45) {
      const a = elderAge(rng);
      return [head(a), spouse(a)];
    }
    if (r < 0.8) {
      const a = rng.range(25, 59);
      return [head(a), spouse(a)];
    }
    const a = rng.range(50, 85);
    return [head(a), child(a)];
  }
  const members: MemberSpec[] = [];
  if (size === 3 && r < 0.55) {
    const a = rng.range(30, 55);
    members.push(head(a), spouse(a), child(a));
  } else if (size === 3 && r < 0.8) {
    const a = elderAge(rng);
    members.push(head(a), spouse(a), child(a));
  } else if (size <= 4 && r < 0.85) {
    // A middle-aged couple with a child, and a widowed parent living with them.
    const a = rng.range(42, 62);
    members.push(head(a), spouse(a), child(a));
    members.push({
      relation: 'parent',
      age: Math.min(99, a + rng.range(24, 32)),
      sex: rng.chance(0.7) ? 'F' : 'M',
      line: 'own',
    });
    if (size === 3) members.splice(2, 1);
  } else {
    // Three generations around an older couple: their child, the child's spouse, grandchildren.
    const a = rng.range(58, 82);
    const kid = child(a);
    members.push(head(a), spouse(a), kid);
    members.push({
      relation: 'child-in-law',
      age: Math.max(20, kid.age + rng.range(-3, 3)),
      sex: other(kid.sex),
      line: 'own',
    });
    while (members.length < size) members.push(child(kid.age, 'grandchild'));
  }
  while (members.length < size) {
    const a = members[0]?.age ?? 50;
    members.push(
      rng.chance(0.5)
        ? child(a)
        : {
            relation: 'sibling',
            age: Math.max(18, a + rng.range(-8, 8)),
            sex: rng.chance(0.5) ? 'M' : 'F',
            line: 'head',
          },
    );
  }
  return members.slice(0, size);
}

/** People renting a flat: a young couple or family, or unrelated adults sharing it. */
function tenants(rng: Rng, size: number): MemberSpec[] {
  const family = size >= 2 && rng.chance(0.6);
  const a = rng.range(22, 48);
  return Array.from({ length: size }, (_, i): MemberSpec => {
    if (!family)
      return {
        relation: 'tenant',
        age: rng.range(20, 50),
        sex: rng.chance(0.5) ? 'M' : 'F',
        line: 'own',
      };
    if (i === 0) return { relation: 'tenant', age: a, sex: 'M', line: 'head' };
    if (i === 1)
      return { relation: 'tenant', age: Math.max(20, a + rng.range(-4, 2)), sex: 'F', line: 'own' };
    return {
      relation: 'tenant',
      age: Math.max(0, a - rng.range(24, 32)),
      sex: rng.chance(0.5) ? 'M' : 'F',
      line: 'child',
    };
  });
}

/** Builds every household's residents from its own random stream position, in household order. */
export class ResidentBuilder {
  private readonly meanSize: number;

  constructor(
    private readonly rng: Rng,
    private readonly factory: RecordFactory,
    private readonly opts: ResolvedOptions,
  ) {
    // Vacant flats (~5%) hold nobody, so occupied ones carry the whole average.
    this.meanSize = opts.residentsPerHousehold / 0.95;
  }

  residentsOf(h: HouseholdInfo, gridCode: string): { rows: Resident[]; people: HouseholdPeople } {
    const rng = this.rng;
    const people: HouseholdPeople = {
      tags: [],
      focusResidentId: null,
      focusAge: 0,
      contactName: null,
      contactPhone: null,
    };
    if (h.type === 'vacant') return { rows: [], people };
    const size = Math.min(8, poissonPlusOne(rng, this.meanSize));
    if (size === 0) return { rows: [], people };
    const specs = h.type === 'owner' ? ownerFamily(rng, size) : tenants(rng, size);
    // An older person of 80+ often has a live-in carer (保姆) from another province.
    if (
      h.type === 'owner' &&
      specs.some((s) => s.age >= 80) &&
      specs.length <= 2 &&
      rng.chance(0.2)
    ) {
      specs.push({ relation: 'other', age: rng.range(40, 60), sex: 'F', line: 'own' });
    }
    const livingAlone = h.type === 'owner' && specs.length === 1;
    const elderCouple =
      specs.length === 2 &&
      specs.every((s) => s.age >= 60 && (s.relation === 'head' || s.relation === 'spouse'));
    const householdLowIncome = h.type === 'owner' && rng.chance(0.011);
    const householdLowIncome2 = !householdLowIncome && h.type === 'owner' && rng.chance(0.008);

    const headSurname = drawSurname(rng);
    const headSex = specs[0]?.sex ?? 'M';
    const spouseSurname = drawSurname(rng);
    // Children take their father's surname.
    const childSurname =
      headSex === 'M' || !specs.some((s) => s.relation === 'spouse') ? headSurname : spouseSurname;
    const kid = specs.find((s) => s.relation === 'child');
    const inLawSurname = drawSurname(rng);
    const grandSurname = kid?.sex === 'M' ? childSurname : inLawSurname;

    const rows: Resident[] = [];
    let contactAge = -1;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i];
      if (!spec) continue;
      const surname =
        spec.line === 'head'
          ? headSurname
          : spec.line === 'child'
            ? childSurname
            : spec.line === 'grandchild'
              ? grandSurname
              : spec.relation === 'spouse'
                ? spouseSurname
                : spec.relation === 'child-in-law'
                  ? inLawSurname
                  : spec.relation === 'parent' && spec.sex === 'M'
                    ? headSurname
                    : drawSurname(rng);
      const birthMs = this.opts.nowMs - (spec.age + rng.next()) * 365.2425 * DAY;
      const birthDate = beijingDate(birthMs);
      const birthYear = Number(birthDate.slice(0, 4));
      const residenceType = this.residenceType(h.type, spec.relation);
      const idNumber = makeIdNumber(
        this.areaCode(residenceType),
        birthDate,
        rng.int(500) * 2 + (spec.sex === 'M' ? 1 : 0),
      );
      const phone = this.phone(spec.age);
      const tags: string[] = [];
      const adult = spec.age >= 18;
      tagIf(tags, 'living-alone-elder', livingAlone && spec.age >= 60);
      tagIf(tags, 'empty-nest-elder', elderCouple);
      tagIf(tags, 'advanced-age-elder', spec.age >= 80);
      tagIf(tags, 'disabled', rng.chance(spec.age >= 80 ? 0.13 : spec.age >= 60 ? 0.07 : 0.018));
      tagIf(tags, 'minimum-living-allowance', householdLowIncome);
      tagIf(tags, 'low-income-family', householdLowIncome2);
      tagIf(
        tags,
        'extreme-poverty',
        livingAlone && (householdLowIncome || tags.includes('disabled')) && rng.chance(0.3),
      );
      tagIf(tags, 'severe-mental-disorder', adult && rng.chance(0.004));
      tagIf(tags, 'serious-illness', spec.age >= 40 && rng.chance(spec.age >= 70 ? 0.04 : 0.012));
      tagIf(
        tags,
        'veteran',
        spec.age >= 20 && rng.chance(spec.sex === 'M' && spec.age >= 40 ? 0.03 : 0.004),
      );
      tagIf(tags, 'entitled-group', spec.age >= 60 && rng.chance(0.003));
      tagIf(
        tags,
        'unemployed',
        spec.age >= 18 && spec.age < 60 && residenceType !== 'floating' && rng.chance(0.025),
      );
      tagIf(tags, 'community-correction', adult && spec.age < 65 && rng.chance(0.0005));
      tagIf(tags, 'released-prisoner', spec.age >= 20 && spec.age < 65 && rng.chance(0.001));
      tagIf(
        tags,
        'child-in-difficulty',
        spec.age < 16 && (householdLowIncome || rng.chance(0.003)),
      );
      tagIf(
        tags,
        'bereaved-only-child-family',
        spec.age >= 60 && (livingAlone || elderCouple) && rng.chance(0.006),
      );
      // 留守儿童 are children left in their home villages: none are registered in a Beijing street.
      const partyRate = spec.age >= 60 ? 0.16 : spec.age >= 36 ? 0.09 : 0.06;
      const partyMember = adult && rng.chance(residenceType === 'floating' ? 0.04 : partyRate);

      const createdMs = i === 0 && h.headId ? h.headCreatedMs : h.createdMs + rng.int(3 * DAY);
      const envelope = this.factory.envelope(
        gridCode,
        createdMs,
        createdMs,
        i === 0 && h.headId ? h.headId : undefined,
      );
      const name = drawName(rng, spec.sex, birthYear, surname);
      rows.push(
        Object.assign(envelope, {
          householdId: h.id,
          gridCode,
          name,
          idNumber,
          phone,
          birthDate,
          sex: spec.sex,
          relation: spec.relation,
          residenceType,
          status: 'active',
          tags,
          partyMember,
          note: '',
        } satisfies Fields<Resident>),
      );
      if (tags.length > 0) {
        for (const t of tags) if (!people.tags.includes(t)) people.tags.push(t);
        if (!people.focusResidentId) {
          people.focusResidentId = envelope.id;
          people.focusAge = spec.age;
        }
      }
      if (adult && phone && spec.age > contactAge) {
        contactAge = spec.age;
        people.contactName = name;
        people.contactPhone = phone;
      }
    }
    return { rows, people };
  }

  private residenceType(
    type: HouseholdInfo['type'],
    relation: Relation,
  ): Resident['residenceType'] {
    const r = this.rng.next();
    if (relation === 'other') return 'floating';
    if (type === 'rented') return r < 0.1 ? 'registered' : r < 0.4 ? 'resident' : 'floating';
    return r < 0.71 ? 'registered' : r < 0.96 ? 'resident' : 'floating';
  }

  private areaCode(type: Resident['residenceType']): string {
    const rng = this.rng;
    if (type === 'registered') {
      let r = rng.int(100);
      for (const [code, weight] of REGISTERED_HERE) {
        r -= weight;
        if (r < 0) return code;
      }
      return '110101';
    }
    if (type === 'resident' && rng.chance(0.5)) return rng.pick(BEIJING_OTHER);
    return rng.pick(PROVINCES);
  }

  /** Mobile for most people from 12 up; Beijing landlines for some elders; none for children. */
  private phone(age: number): string | null {
    const rng = this.rng;
    if (age < 12 || (age < 16 && rng.chance(0.5))) return null;
    if (age >= 70) {
      const r = rng.next();
      if (r < 0.35) return `010-6${String(rng.int(10_000_000)).padStart(7, '0')}`;
      if (r < 0.5) return null;
    }
    return `${rng.pick(MOBILE_PREFIXES)}${String(rng.int(100_000_000)).padStart(8, '0')}`;
  }
}
