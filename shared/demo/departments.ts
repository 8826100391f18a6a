import type { Department } from '../domain/org';
import type { Fields, RecordFactory } from './envelope';
import { shortCommunityName, type DemoStreet } from './grids';

/**
 * The units a street like 和平里 dispatches cases to (派单对象): its own offices, the district's
 * departments, the utilities and property companies, and each community's residents' committee.
 * Names follow 东城区's; the property companies are invented (no real company is implied).
 */

type Kind = Department['kind'];

/** Department code → name template (`{street}` and `{district}` filled in) and kind. */
const FIXED: readonly (readonly [code: string, name: string, kind: Kind])[] = [
  ['JD-SQZX', '{street}市民诉求处置中心', 'street-office'],
  ['JD-ZFD', '{street}综合行政执法队', 'street-office'],
  ['JD-CGB', '{street}城市管理办公室', 'street-office'],
  ['JD-SQB', '{street}社区建设办公室', 'street-office'],
  ['JD-PAB', '{street}平安建设办公室', 'street-office'],
  ['JD-MSB', '{street}民生保障办公室', 'street-office'],
  ['QU-CGW', '{district}城市管理委员会', 'district-department'],
  ['QU-ZJW', '{district}住房和城乡建设委员会', 'district-department'],
  ['QU-FGJ', '{district}房屋管理局', 'district-department'],
  ['QU-JTW', '{district}交通委员会', 'district-department'],
  ['QU-STJ', '北京市生态环境局{district}分局', 'district-department'],
  ['QU-SJJ', '{district}市场监督管理局', 'district-department'],
  ['QU-SWJ', '{district}水务局', 'district-department'],
  ['QU-MZJ', '{district}民政局', 'district-department'],
  ['QU-RSJ', '{district}人力资源和社会保障局', 'district-department'],
  ['QU-YBJ', '{district}医疗保障局', 'district-department'],
  ['QU-JW', '{district}教育委员会', 'district-department'],
  ['QU-WJW', '{district}卫生健康委员会', 'district-department'],
  ['QU-YLJ', '{district}园林绿化局', 'district-department'],
  ['QU-ZWJ', '{district}政务服务管理局', 'district-department'],
  ['QU-GAJ', '北京市公安局{district}分局', 'district-department'],
  ['QU-XF', '{district}消防救援支队', 'district-department'],
  ['QU-GJJ', '北京住房公积金管理中心{district}管理部', 'district-department'],
  ['GY-HW', '{district}环境卫生服务中心', 'public-service'],
  ['GY-RL', '北京市热力集团有限责任公司', 'public-service'],
  ['GY-ZLS', '北京市自来水集团有限责任公司', 'public-service'],
  ['GY-RQ', '北京市燃气集团有限责任公司', 'public-service'],
  ['GY-GD', '国网北京市电力公司{districtShort}供电公司', 'public-service'],
  ['GY-PS', '北京城市排水集团有限责任公司', 'public-service'],
  ['WY-01', '北京{streetShort}物业管理有限公司', 'property-company'],
  ['WY-02', '北京安和物业服务有限公司', 'property-company'],
  ['WY-03', '北京京诚房地物业管理中心', 'property-company'],
  ['WY-04', '北京青湖园物业服务有限公司', 'property-company'],
];

/** Departments besides the communities' committees. */
export const FIXED_DEPARTMENT_COUNT = FIXED.length;

/** Property companies, used for 物业管理 cases. */
export const PROPERTY_COMPANIES = FIXED.filter(([, , kind]) => kind === 'property-company').map(
  ([code]) => code,
);

/** Code of a community's residents' committee department. */
export function communityDepartmentCode(communityCode: string): string {
  return `SQ-${communityCode.slice(-3)}`;
}

/** The street's departments, scoped to the street (every device of the street needs them). */
export function buildDepartments(
  street: DemoStreet,
  factory: RecordFactory,
  createdMs: number,
): Department[] {
  const streetShort = street.name.replace(/(街道|地区|镇|乡)$/, '');
  const district = street.district.name;
  const districtShort = district.replace(/区$/, '');
  const fill = (template: string) =>
    template
      .replace('{streetShort}', streetShort)
      .replace('{street}', street.name)
      .replace('{districtShort}', districtShort)
      .replace('{district}', district);
  const departments: Department[] = FIXED.map(([code, name, kind], i) =>
    Object.assign(factory.envelope(street.code, createdMs + i), {
      code,
      name: fill(name),
      kind,
      contactPhone: `010-6${String(4000000 + i * 1373).padStart(7, '0')}`,
    } satisfies Fields<Department>),
  );
  street.communities.forEach((c, i) => {
    departments.push(
      Object.assign(factory.envelope(street.code, createdMs + FIXED.length + i), {
        code: communityDepartmentCode(c.code),
        name: shortCommunityName(c.name) + '居委会',
        kind: 'community',
        contactPhone: `010-8${String(4100000 + i * 211).padStart(7, '0')}`,
      } satisfies Fields<Department>),
    );
  });
  return departments;
}

/**
 * Lead unit per matter category (leaf code, else top level). `PROPERTY` means the compound's
 * property company, `COMMUNITY` the case's residents' committee.
 */
const LEAD_BY_CATEGORY: Record<string, string> = {
  '01': 'GY-HW',
  '0103': 'JD-ZFD',
  '0104': 'QU-CGW',
  '0106': 'QU-YLJ',
  '0107': 'QU-YLJ',
  '02': 'PROPERTY',
  '0206': 'QU-FGJ',
  '0207': 'JD-SQB',
  '03': 'QU-CGW',
  '0304': 'GY-PS',
  '04': 'GY-ZLS',
  '0401': 'GY-RL',
  '0402': 'GY-RL',
  '0405': 'GY-RQ',
  '0406': 'GY-GD',
  '0408': 'GY-GD',
  '05': 'JD-ZFD',
  '0502': 'QU-GAJ',
  '0504': 'QU-JTW',
  '0505': 'QU-STJ',
  '06': 'JD-ZFD',
  '07': 'QU-JTW',
  '0702': 'JD-CGB',
  '08': 'COMMUNITY',
  '0802': 'JD-SQB',
  '09': 'JD-ZFD',
  '0901': 'JD-CGB',
  '0904': 'QU-SWJ',
  '10': 'QU-FGJ',
  '1001': 'QU-ZJW',
  '1002': 'QU-ZJW',
  '1005': 'JD-PAB',
  '1006': 'QU-ZJW',
  '11': 'JD-PAB',
  '1101': 'QU-XF',
  '1103': 'QU-GAJ',
  '1105': 'JD-CGB',
  '12': 'QU-MZJ',
  '1201': 'JD-MSB',
  '1202': 'JD-MSB',
  '13': 'QU-RSJ',
  '1305': 'QU-YBJ',
  '14': 'QU-WJW',
  '1401': 'QU-JW',
  '1402': 'QU-JW',
  '15': 'QU-SJJ',
  '16': 'JD-ZFD',
  '1604': 'QU-GAJ',
  '17': 'QU-ZWJ',
  '1701': 'QU-GAJ',
  '1703': 'QU-GJJ',
};

/** Lead department code for a category; the street's dispatch centre when nothing matches. */
export function leadDepartmentCode(category: string): string {
  return LEAD_BY_CATEGORY[category] ?? LEAD_BY_CATEGORY[category.slice(0, 2)] ?? 'JD-SQZX';
}
