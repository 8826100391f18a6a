/**
 * 需求清单 categories: what grid workers record as a household's or resident's need on a visit.
 * Two levels like the matter catalogue (2-digit top levels, 4-digit leaves, see CategoryCodeSchema).
 *
 * Each entry carries its service layer (NeedLayerSchema): `basic` is the 基本公共服务 everyone is
 * entitled to, `improvement` the 普惠/提升 services residents may choose, and `special` the
 * targeted support for special groups (救助, 残疾, 特困 …), which usually needs eligibility checks.
 * A top level carries the layer most of its children have; needs are filed on leaves.
 */
import type { z } from 'zod';
import type { NeedLayerSchema } from '../domain/need';

/** 'basic' | 'improvement' | 'special', from the domain schema. */
type NeedLayer = z.infer<typeof NeedLayerSchema>;

/** One entry of the need catalogue. */
export interface NeedCategory {
  code: string;
  name: string;
  nameEn: string;
  /** Code of the top-level category, or null for a top level. */
  parent: string | null;
  layer: NeedLayer;
}

type Row = readonly [code: string, name: string, nameEn: string, layer: NeedLayer];

const ROWS: readonly Row[] = [
  ['01', '养老服务', 'Elderly care', 'basic'],
  ['0101', '居家养老上门服务', 'Home-visit elderly care', 'basic'],
  ['0102', '助餐', 'Meal assistance', 'basic'],
  ['0103', '助浴', 'Bathing assistance', 'improvement'],
  ['0104', '日间照料', 'Day care', 'improvement'],
  ['0105', '巡视探访与紧急呼叫', 'Welfare checks and emergency call devices', 'basic'],
  ['0106', '失能失智照护', 'Care for disabled or dementia patients', 'special'],

  ['02', '医疗健康', 'Health', 'basic'],
  ['0201', '助医陪诊', 'Escort to medical appointments', 'improvement'],
  ['0202', '家庭医生签约', 'Family doctor contract', 'basic'],
  ['0203', '慢病管理', 'Chronic disease management', 'basic'],
  ['0204', '残疾人康复', 'Rehabilitation for disabled people', 'special'],
  ['0205', '心理慰藉', 'Emotional and psychological support', 'improvement'],

  ['03', '就业服务', 'Employment', 'basic'],
  ['0301', '岗位推荐', 'Job referrals', 'basic'],
  ['0302', '职业技能培训', 'Vocational training', 'improvement'],
  ['0303', '就业困难人员援助', 'Support for hard-to-employ people', 'special'],

  ['04', '住房与居住环境', 'Housing and living environment', 'improvement'],
  ['0401', '住房救助与公租房申请', 'Housing assistance and public rental', 'special'],
  ['0402', '适老化改造', 'Age-friendly home adaptation', 'improvement'],
  ['0403', '无障碍设施', 'Barrier-free facilities', 'special'],
  ['0404', '房屋维修', 'Home repairs', 'improvement'],

  ['05', '社会救助', 'Social assistance', 'special'],
  ['0501', '低保申请', 'Minimum living allowance application', 'special'],
  ['0502', '特困供养', 'Extreme-poverty support', 'special'],
  ['0503', '临时救助', 'Temporary relief', 'special'],
  ['0504', '残疾人两项补贴', 'Disability living and care subsidies', 'special'],

  ['06', '法律服务', 'Legal services', 'basic'],
  ['0601', '法律咨询', 'Legal advice', 'basic'],
  ['0602', '法律援助', 'Legal aid', 'special'],
  ['0603', '矛盾纠纷调解', 'Dispute mediation', 'basic'],

  ['07', '教育托育', 'Education and childcare', 'improvement'],
  ['0701', '托育服务', 'Childcare for under-threes', 'improvement'],
  ['0702', '课后托管', 'After-school care', 'improvement'],
  ['0703', '困难学生资助', 'Aid for students in hardship', 'special'],

  ['08', '文体活动', 'Culture and sport', 'improvement'],
  ['0801', '文化活动', 'Cultural activities', 'improvement'],
  ['0802', '体育健身', 'Sport and fitness', 'improvement'],
  ['0803', '老年教育', 'Courses for older people', 'improvement'],

  ['09', '安全隐患', 'Safety hazards at home', 'basic'],
  ['0901', '燃气安全', 'Gas safety', 'basic'],
  ['0902', '用电安全', 'Electrical safety', 'basic'],
  ['0903', '消防器材配置', 'Fire extinguishers and smoke alarms', 'basic'],

  ['10', '便民生活', 'Everyday help', 'improvement'],
  ['1001', '家政保洁', 'Housekeeping and cleaning', 'improvement'],
  ['1002', '代购代办', 'Errands and paperwork done on behalf', 'improvement'],
  ['1003', '维修便民', 'Small repairs', 'improvement'],
];

/** The need catalogue, each top level followed by its sub-categories. */
export const NEED_CATEGORIES: readonly NeedCategory[] = ROWS.map(
  ([code, name, nameEn, layer]): NeedCategory => ({
    code,
    name,
    nameEn,
    parent: code.length === 2 ? null : code.slice(0, 2),
    layer,
  }),
);

const BY_CODE = new Map(NEED_CATEGORIES.map((c) => [c.code, c]));

/** The category with this code, if any. */
export function needCategory(code: string): NeedCategory | undefined {
  return BY_CODE.get(code);
}

/** Sub-categories of a top-level code, in catalogue order; empty for a leaf or unknown code. */
export function needChildren(parentCode: string): readonly NeedCategory[] {
  return NEED_CATEGORIES.filter((c) => c.parent === parentCode);
}
