/**
 * 事项分类: the two-level matter classification for 12345 接诉即办 cases, modelled on the Beijing
 * citizen hotline centre's catalogue. Top levels have 2-digit codes and sub-categories 4-digit codes
 * that start with their parent's code (see CategoryCodeSchema).
 *
 * The time limits are defaults that a 权责清单 rule (ResponsibilityRule) may override per area:
 * utility failures and immediate safety risks get a 2-hour response and 1–3 workdays to handle;
 * most matters 24 hours and 3–15 workdays; construction and renovation matters up to 30 workdays.
 */
import type { TimeLimit } from '../domain/rules';

/** One entry of the matter catalogue. */
export interface MatterCategory {
  code: string;
  name: string;
  nameEn: string;
  /** Code of the top-level category, or null for a top level. */
  parent: string | null;
  /** Default time to first contact with the caller (响应时限). */
  responseLimit: TimeLimit;
  /** Default time to resolve and reply (办理时限). */
  handleLimit: TimeLimit;
  /**
   * Fraction of hotline volume: leaves hold their own share and sum to 1 across the catalogue; a top
   * level holds the sum of its children. Used to weight demo data and to order pick lists.
   */
  share: number;
}

const hours = (value: number): TimeLimit => ({ value, unit: 'hours' });
const workdays = (value: number): TimeLimit => ({ value, unit: 'workdays' });

/** Top level: code, name, English name, default limits for cases not yet sub-classified. */
type TopRow = readonly [
  code: string,
  name: string,
  nameEn: string,
  respond: number,
  handle: number,
];
/** Leaf: code, name, English name, response hours, handling workdays, relative volume weight. */
type LeafRow = readonly [
  code: string,
  name: string,
  nameEn: string,
  respond: number,
  handle: number,
  weight: number,
];

const TOP_LEVELS: readonly TopRow[] = [
  ['01', '市容环境', 'City appearance and sanitation', 24, 5],
  ['02', '物业管理', 'Property management', 24, 7],
  ['03', '市政设施', 'Municipal facilities', 24, 5],
  ['04', '供暖供水', 'Heating, water, gas and power', 2, 3],
  ['05', '噪音扰民', 'Noise nuisance', 24, 5],
  ['06', '违法建设', 'Illegal construction', 24, 30],
  ['07', '交通出行', 'Traffic and transport', 24, 10],
  ['08', '社区服务', 'Community services', 24, 10],
  ['09', '环境保护', 'Environmental protection', 24, 7],
  ['10', '房屋管理', 'Housing management', 24, 15],
  ['11', '公共安全', 'Public safety', 2, 3],
  ['12', '民政服务', 'Civil affairs services', 24, 10],
  ['13', '劳动社保', 'Labour and social insurance', 24, 15],
  ['14', '教育医疗', 'Education and health care', 24, 10],
  ['15', '市场监管', 'Market regulation', 24, 10],
  ['16', '城市管理执法', 'Urban management enforcement', 24, 5],
  ['17', '政务服务', 'Government services', 24, 10],
];

// Weights are relative hotline volumes, normalised into `share` below. Heating, property
// management, noise, parking, refuse and municipal facilities lead Beijing's 接诉即办 statistics,
// so they carry the largest weights.
const LEAVES: readonly LeafRow[] = [
  ['0101', '道路清扫保洁', 'Street cleaning', 24, 3, 14],
  ['0102', '垃圾积存清运', 'Uncollected refuse', 24, 2, 28],
  ['0103', '违规张贴小广告', 'Illegal flyers and graffiti', 24, 5, 6],
  ['0104', '户外广告牌匾', 'Outdoor signs and billboards', 24, 10, 4],
  ['0105', '公共厕所', 'Public toilets', 24, 3, 6],
  ['0106', '绿化养护', 'Green space maintenance', 24, 7, 8],
  ['0107', '树木修剪与倒伏', 'Tree pruning and fallen trees', 24, 10, 9],

  ['0201', '物业服务质量', 'Property service quality', 24, 7, 38],
  ['0202', '物业收费', 'Property management fees', 24, 10, 16],
  ['0203', '小区公共设施维修', 'Repair of shared facilities', 24, 5, 30],
  ['0204', '电梯故障', 'Lift breakdown', 2, 1, 12],
  ['0205', '小区环境卫生', 'Cleanliness inside the compound', 24, 3, 10],
  ['0206', '无物业管理与物业交接', 'Compounds without or changing management', 24, 15, 7],
  ['0207', '业委会与物管会', 'Owners’ and property committees', 24, 15, 5],

  ['0301', '道路破损坑槽', 'Road damage and potholes', 24, 5, 14],
  ['0302', '井盖缺失破损', 'Missing or broken manhole covers', 2, 1, 7],
  ['0303', '路灯不亮', 'Street lights out', 24, 3, 10],
  ['0304', '排水不畅与积水', 'Blocked drains and standing water', 2, 2, 12],
  ['0305', '护栏与公共座椅', 'Railings and public benches', 24, 10, 4],
  ['0306', '人行道与盲道', 'Pavements and tactile paving', 24, 10, 6],

  ['0401', '供暖不热与停暖', 'Heating too cold or off', 2, 1, 62],
  ['0402', '供暖缴费与报停', 'Heating fees and suspension', 24, 10, 14],
  ['0403', '停水与水压低', 'Water outage and low pressure', 2, 1, 18],
  ['0404', '水质问题', 'Tap water quality', 2, 3, 5],
  ['0405', '燃气故障', 'Gas supply failure', 2, 1, 8],
  ['0406', '停电与电力故障', 'Power cut and electrical fault', 2, 1, 14],
  ['0407', '管道漏水', 'Leaking supply pipes', 2, 2, 10],
  ['0408', '水电气缴费', 'Water, power and gas billing', 24, 10, 7],

  ['0501', '施工噪音', 'Construction noise', 2, 3, 22],
  ['0502', '社会生活噪音', 'Neighbourhood and square-dance noise', 24, 5, 18],
  ['0503', '商业经营噪音', 'Noise from shops and restaurants', 24, 5, 10],
  ['0504', '交通噪音', 'Traffic noise', 24, 15, 5],
  ['0505', '设备噪音', 'Noise from pumps and outdoor units', 24, 7, 7],

  ['0601', '违章搭建', 'Unauthorised structures', 24, 30, 14],
  ['0602', '破墙开店与改变房屋结构', 'Altering walls or structure', 24, 30, 5],
  ['0603', '地下空间违规使用', 'Illegal use of basements', 24, 15, 3],
  ['0604', '圈占公共区域', 'Enclosing common areas', 24, 15, 6],

  ['0701', '停车难与违规停车', 'Parking shortage and illegal parking', 24, 7, 40],
  ['0702', '非机动车乱停放', 'Badly parked bicycles and e-bikes', 24, 3, 9],
  ['0703', '公交线路与站点', 'Bus routes and stops', 24, 15, 7],
  ['0704', '交通信号与标志标线', 'Traffic lights, signs and markings', 24, 5, 6],
  ['0705', '交通秩序与拥堵', 'Traffic order and congestion', 24, 10, 6],
  ['0706', '出租车与网约车', 'Taxis and ride hailing', 24, 10, 5],

  ['0801', '社区办事与证明开具', 'Community office and certificates', 24, 5, 8],
  ['0802', '便民网点', 'Convenience shops and breakfast points', 24, 15, 4],
  ['0803', '快递末端服务', 'Parcel delivery points', 24, 7, 5],
  ['0804', '社区活动场地', 'Community activity spaces', 24, 15, 3],

  ['0901', '垃圾分类', 'Waste sorting', 24, 5, 12],
  ['0902', '餐饮油烟', 'Restaurant cooking fumes', 24, 10, 9],
  ['0903', '扬尘污染', 'Dust pollution', 24, 5, 6],
  ['0904', '水体污染', 'Water pollution', 24, 10, 2],
  ['0905', '露天焚烧', 'Open burning', 2, 2, 2],

  ['1001', '老旧小区综合整治', 'Old compound renovation', 24, 30, 9],
  ['1002', '加装电梯', 'Adding lifts to old buildings', 24, 30, 5],
  ['1003', '房屋漏雨渗水', 'Roof and wall leaks', 24, 7, 12],
  ['1004', '公租房与保障房', 'Public rental and affordable housing', 24, 15, 6],
  ['1005', '群租房', 'Overcrowded rentals', 24, 10, 4],
  ['1006', '房屋安全隐患', 'Unsafe buildings', 2, 3, 4],

  ['1101', '消防隐患', 'Fire hazards and blocked fire lanes', 2, 2, 9],
  ['1102', '电动自行车违规充电', 'Unsafe e-bike charging', 2, 2, 7],
  ['1103', '治安秩序', 'Public order', 24, 5, 5],
  ['1104', '高空坠物隐患', 'Risk of falling objects', 2, 3, 3],
  ['1105', '防汛安全', 'Flood safety', 2, 1, 2],

  ['1201', '养老服务', 'Elderly care', 24, 10, 8],
  ['1202', '最低生活保障', 'Minimum living allowance', 24, 15, 4],
  ['1203', '残疾人服务', 'Services for disabled people', 24, 10, 3],
  ['1204', '特困与临时救助', 'Extreme-poverty and temporary relief', 24, 10, 3],
  ['1205', '婚姻登记与殡葬', 'Marriage registration and funerals', 24, 10, 2],

  ['1301', '拖欠工资', 'Unpaid wages', 24, 15, 22],
  ['1302', '社会保险', 'Social insurance', 24, 10, 10],
  ['1303', '劳动合同纠纷', 'Employment contract disputes', 24, 15, 8],
  ['1304', '就业创业服务', 'Employment and start-up services', 24, 10, 4],
  ['1305', '医保报销', 'Medical insurance reimbursement', 24, 10, 7],

  ['1401', '入学入托', 'School and kindergarten enrolment', 24, 10, 10],
  ['1402', '校外培训', 'Off-campus tutoring', 24, 15, 5],
  ['1403', '医疗服务', 'Hospital services', 24, 10, 8],
  ['1404', '社区卫生服务', 'Community health stations', 24, 10, 4],
  ['1405', '疫苗接种', 'Vaccination', 24, 5, 3],

  ['1501', '食品安全', 'Food safety', 24, 10, 9],
  ['1502', '消费纠纷', 'Consumer disputes', 24, 7, 26],
  ['1503', '预付卡退费', 'Prepaid card refunds', 24, 15, 12],
  ['1504', '价格违法', 'Illegal pricing', 24, 10, 4],
  ['1505', '无照经营', 'Unlicensed business', 24, 10, 3],

  ['1601', '占道经营与游商', 'Street vending on roads', 24, 3, 9],
  ['1602', '店外经营', 'Trading outside shop fronts', 24, 3, 6],
  ['1603', '渣土运输遗撒', 'Spilled construction waste from trucks', 24, 3, 3],
  ['1604', '违规养犬', 'Dogs kept against the rules', 24, 7, 5],

  ['1701', '户籍与居住证', 'Household registration and residence permits', 24, 10, 6],
  ['1702', '政务服务办理', 'Administrative services', 24, 10, 6],
  ['1703', '住房公积金', 'Housing provident fund', 24, 10, 4],
];

function buildCatalogue(): readonly MatterCategory[] {
  const totalWeight = LEAVES.reduce((sum, row) => sum + row[5], 0);
  const leaves = LEAVES.map(([code, name, nameEn, respond, handle, weight]): MatterCategory => ({
    code,
    name,
    nameEn,
    parent: code.slice(0, 2),
    responseLimit: hours(respond),
    handleLimit: workdays(handle),
    share: weight / totalWeight,
  }));
  const tops = TOP_LEVELS.map(([code, name, nameEn, respond, handle]): MatterCategory => ({
    code,
    name,
    nameEn,
    parent: null,
    responseLimit: hours(respond),
    handleLimit: workdays(handle),
    share: leaves.filter((l) => l.parent === code).reduce((sum, l) => sum + l.share, 0),
  }));
  // Each top level directly followed by its children, the order pick lists show.
  return tops.flatMap((top) => [top, ...leaves.filter((l) => l.parent === top.code)]);
}

/** The matter catalogue, each top level followed by its sub-categories. */
export const MATTER_CATEGORIES: readonly MatterCategory[] = buildCatalogue();

const BY_CODE = new Map(MATTER_CATEGORIES.map((c) => [c.code, c]));

/** The category with this code, if any. */
export function matterCategory(code: string): MatterCategory | undefined {
  return BY_CODE.get(code);
}

/** Sub-categories of a top-level code, in catalogue order; empty for a leaf or unknown code. */
export function matterChildren(parentCode: string): readonly MatterCategory[] {
  return MATTER_CATEGORIES.filter((c) => c.parent === parentCode);
}

/** True for a known category that has no sub-categories (a case should be filed on a leaf). */
export function isMatterLeaf(code: string): boolean {
  return BY_CODE.has(code) && !MATTER_CATEGORIES.some((c) => c.parent === code);
}
