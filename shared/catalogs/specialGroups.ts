/**
 * 重点人群 / 特殊群体: the groups a grid worker keeps a register of and visits on a schedule.
 *
 * `visitIntervalDays` is the default maximum gap between two 走访 visits; a community may tighten
 * it. `sensitive` marks membership that is 敏感个人信息 under PIPL Art. 28 (health, disability,
 * financial hardship such as 低保, criminal-justice status, minors) or that would expose a person to
 * harm if disclosed (an old person living alone); such tags are hidden outside the grid's scope and
 * never exported unmasked.
 */

/** One special group. */
export interface SpecialGroup {
  /** Stable slug, `^[a-z][a-z0-9-]*$`; stored on residents, so never rename one. */
  code: string;
  name: string;
  nameEn: string;
  visitIntervalDays: number;
  sensitive: boolean;
  /** Who belongs to the group (Chinese, shown to grid workers). */
  description: string;
}

/** All special groups, most frequently visited first. */
export const SPECIAL_GROUPS: readonly SpecialGroup[] = [
  {
    code: 'living-alone-elder',
    name: '独居老人',
    nameEn: 'Older person living alone',
    visitIntervalDays: 7,
    sensitive: true,
    description: '年满60周岁、独自居住的老年人。',
  },
  {
    code: 'severe-mental-disorder',
    name: '严重精神障碍患者',
    nameEn: 'Person with a severe mental disorder',
    visitIntervalDays: 14,
    sensitive: true,
    description: '纳入严重精神障碍管理治疗工作的在册患者，配合关爱帮扶小组随访。',
  },
  {
    code: 'extreme-poverty',
    name: '特困人员',
    nameEn: 'Person in extreme poverty',
    visitIntervalDays: 14,
    sensitive: true,
    description: '无劳动能力、无生活来源、无法定赡养抚养扶养义务人的特困供养人员。',
  },
  {
    code: 'left-behind-child',
    name: '留守儿童',
    nameEn: 'Left-behind child',
    visitIntervalDays: 30,
    sensitive: true,
    description: '父母双方外出务工或一方外出务工另一方无监护能力的未满16周岁儿童。',
  },
  {
    code: 'child-in-difficulty',
    name: '困境儿童',
    nameEn: 'Child in difficulty',
    visitIntervalDays: 30,
    sensitive: true,
    description: '因家庭经济贫困、自身残疾或缺乏有效监护而陷入困境的儿童。',
  },
  {
    code: 'advanced-age-elder',
    name: '高龄老人',
    nameEn: 'Older person aged 80 or over',
    visitIntervalDays: 30,
    sensitive: false,
    description: '年满80周岁的老年人。',
  },
  {
    code: 'empty-nest-elder',
    name: '空巢老人',
    nameEn: 'Empty-nest older person',
    visitIntervalDays: 30,
    sensitive: false,
    description: '子女不在身边、仅与配偶同住的60周岁以上老年人。',
  },
  {
    code: 'disabled',
    name: '残疾人',
    nameEn: 'Person with a disability',
    visitIntervalDays: 30,
    sensitive: true,
    description: '持有中华人民共和国残疾人证的居民。',
  },
  {
    code: 'serious-illness',
    name: '重病患者',
    nameEn: 'Person with a serious illness',
    visitIntervalDays: 30,
    sensitive: true,
    description: '患有重大疾病或长期卧床、需要持续关注的居民。',
  },
  {
    code: 'community-correction',
    name: '社区矫正对象',
    nameEn: 'Person under community correction',
    visitIntervalDays: 30,
    sensitive: true,
    description: '被判处管制、宣告缓刑、假释或暂予监外执行，依法实行社区矫正的人员。',
  },
  {
    code: 'bereaved-only-child-family',
    name: '失独家庭',
    nameEn: 'Family that lost its only child',
    visitIntervalDays: 30,
    sensitive: true,
    description: '独生子女死亡或伤残的计划生育特殊家庭。',
  },
  {
    code: 'minimum-living-allowance',
    name: '低保户',
    nameEn: 'Minimum living allowance household',
    visitIntervalDays: 90,
    sensitive: true,
    description: '享受城乡居民最低生活保障的家庭。',
  },
  {
    code: 'low-income-family',
    name: '低收入家庭',
    nameEn: 'Low-income family',
    visitIntervalDays: 90,
    sensitive: true,
    description: '经认定的低收入家庭，收入略高于低保标准。',
  },
  {
    code: 'released-prisoner',
    name: '刑满释放人员',
    nameEn: 'Person released from prison',
    visitIntervalDays: 90,
    sensitive: true,
    description: '刑满释放五年内、纳入安置帮教的人员。',
  },
  {
    code: 'unemployed',
    name: '失业人员',
    nameEn: 'Unemployed person',
    visitIntervalDays: 90,
    sensitive: false,
    description: '劳动年龄内、有就业愿望但未就业并进行失业登记的居民。',
  },
  {
    code: 'entitled-group',
    name: '优抚对象',
    nameEn: 'Entitled dependant of service members',
    visitIntervalDays: 90,
    sensitive: false,
    description: '烈士遗属、因公牺牲军人遗属、病故军人遗属、残疾军人等享受抚恤优待的人员。',
  },
  {
    code: 'veteran',
    name: '退役军人',
    nameEn: 'Veteran',
    visitIntervalDays: 180,
    sensitive: false,
    description: '依法退出现役的军人，由退役军人服务站建档联系。',
  },
];

const BY_CODE = new Map(SPECIAL_GROUPS.map((g) => [g.code, g]));

/** The special group with this slug, if any. */
export function specialGroup(code: string): SpecialGroup | undefined {
  return BY_CODE.get(code);
}
