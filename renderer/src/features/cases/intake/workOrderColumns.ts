import { normalizeHeader } from '../../import/columns';

/**
 * The fields of a 12345 work order (工单) and the guess of which column holds which. Exports
 * from the hotline platform differ by district and year (工单编号 / 工单号, 诉求内容 / 问题描述 …);
 * the guess is a start the user adjusts, as for the 台账 import.
 */
export const WORK_ORDER_FIELDS = [
  'workOrderNo',
  'receivedAt',
  'reporterName',
  'reporterPhone',
  'address',
  'description',
  'category',
  'deadline',
] as const;
export type WorkOrderField = (typeof WORK_ORDER_FIELDS)[number];

/** Without these a row cannot become a case. */
export const REQUIRED_WORK_ORDER_FIELDS: readonly WorkOrderField[] = [
  'workOrderNo',
  'receivedAt',
  'description',
  'category',
];

/** Column index (0-based) per field; `null` = not in the file. */
export type WorkOrderMapping = Record<WorkOrderField, number | null>;

// Most specific first: an exact match wins over containment, so 联系电话 is not taken by 来电人.
const HEADER_WORDS: Record<WorkOrderField, readonly string[]> = {
  workOrderNo: ['工单编号', '工单号', '工单编码', '受理编号', '编号', 'workorderno'],
  receivedAt: ['受理时间', '来电时间', '登记时间', '派单时间', '创建时间', 'receivedat'],
  reporterName: ['来电人', '来电人姓名', '诉求人', '反映人', '联系人', 'reportername'],
  reporterPhone: ['联系电话', '来电号码', '联系方式', '电话', 'reporterphone'],
  address: ['诉求地址', '事发地址', '问题地址', '发生地址', '地址', 'address'],
  description: ['诉求内容', '问题描述', '来电内容', '反映内容', '诉求描述', 'description'],
  category: ['诉求类别', '事项分类', '问题分类', '诉求分类', '事项类别', '类别', 'category'],
  deadline: ['承办时限', '办理时限', '处理时限', '截止时间', '办结时限', 'deadline'],
};

export function emptyWorkOrderMapping(): WorkOrderMapping {
  return Object.fromEntries(WORK_ORDER_FIELDS.map((f) => [f, null])) as WorkOrderMapping;
}

/** Guesses each field's column: exact header matches first, then headers containing a word. */
export function guessWorkOrderMapping(headers: readonly string[]): WorkOrderMapping {
  const normalized = headers.map(normalizeHeader);
  const mapping = emptyWorkOrderMapping();
  const used = new Set<number>();
  for (const exact of [true, false]) {
    for (const field of WORK_ORDER_FIELDS) {
      if (mapping[field] !== null) continue;
      for (const word of HEADER_WORDS[field]) {
        const index = normalized.findIndex(
          (h, i) =>
            !used.has(i) && h !== '' && (exact ? h === word : word.length >= 2 && h.includes(word)),
        );
        if (index >= 0) {
          mapping[field] = index;
          used.add(index);
          break;
        }
      }
    }
  }
  return mapping;
}

/** Required fields the mapping leaves out. */
export function missingWorkOrderFields(mapping: WorkOrderMapping): WorkOrderField[] {
  return REQUIRED_WORK_ORDER_FIELDS.filter((f) => mapping[f] === null);
}
