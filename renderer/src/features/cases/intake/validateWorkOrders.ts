import { MATTER_CATEGORIES, matterCategory } from '@shared/catalogs/matterCategories';
import { deadlineAfter } from '@shared/calendar/workdays';
import type { TimeLimit } from '@shared/domain/rules';
import { parsePhone } from '@shared/validation';
import type { SheetRow, SheetTable } from '../../import/readTable';
import type { WorkOrderField, WorkOrderMapping } from './workOrderColumns';

/**
 * Row-by-row validation of a mapped 12345 export. Pure: what it needs from the database (the
 * work-order numbers already imported) comes in the context, so the preview and the tests see
 * exactly what the import will do. Every bad row gets reasons a person can act on; a good row
 * may carry warnings (a deadline counted past the holiday calendar is only an estimate).
 */

export type WorkOrderIssueCode =
  | 'required'
  | 'too-long'
  | 'work-order-no'
  | 'dup-in-file'
  | 'dup-existing'
  | 'received-at'
  | 'received-future'
  | 'phone'
  | 'unknown-category'
  | 'deadline'
  | 'deadline-before';

export interface WorkOrderIssue {
  code: WorkOrderIssueCode;
  field: WorkOrderField;
  value?: string;
  /** dup-in-file: the earlier row with the same number. */
  row?: number;
}

/** A valid row, normalised: what becomes the case. Instants are ISO UTC. */
export interface WorkOrderData {
  workOrderNo: string;
  receivedAt: string;
  reporterName: string | null;
  reporterPhone: string | null;
  address: string;
  description: string;
  category: string;
  responseDeadline: string;
  handleDeadline: string;
  /** Deadlines counted past the calendar's last year (`beyondCalendar`). */
  beyondCalendar: boolean;
}

export type WorkOrderRow =
  | { rowNumber: number; ok: true; data: WorkOrderData }
  | { rowNumber: number; ok: false; issues: WorkOrderIssue[]; workOrderNo: string };

export interface WorkOrderReport {
  rows: WorkOrderRow[];
  valid: number;
  invalid: number;
}

export interface WorkOrderContext {
  /** 工单编号 of the cases already on the device. */
  existingWorkOrderNos: ReadonlySet<string>;
  now: Date;
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * A Beijing wall-clock time as the hotline exports write it: `2026-11-29 10:23[:45]`, with `/`
 * or `.` or 年月日时分, a `T`, or a bare date (midnight), or an Excel serial number. Null if none.
 */
export function parseBeijingTime(text: string): Date | null {
  const s = text.trim();
  if (/^\d{5}(\.\d+)?$/.test(s)) {
    // Excel serial: days since 1899-12-30, wall-clock time.
    const ms = Math.round(Number(s) * 86_400_000) + Date.UTC(1899, 11, 30);
    return new Date(ms - BEIJING_OFFSET_MS);
  }
  // 2026年11月29日 09时15分 → 2026-11-29 09:15
  const plain = s
    .replace(/[年月]/g, '-')
    .replace(/日/g, ' ')
    .replace(/[时分]/g, ':')
    .replace(/秒/g, '')
    .replace(/:$/, '')
    .trim();
  const m =
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[\sT]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$/.exec(
      plain,
    );
  if (!m) return null;
  const n = (i: number): number => Number(m[i] ?? '0');
  const [year, month, day, hour, minute, second] = [n(1), n(2), n(3), n(4), n(5), n(6)];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  // Date.UTC rolls 2月30日 over into March: refuse instead of moving the day.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return new Date(utc - BEIJING_OFFSET_MS);
}

/** `2个工作日`, `5工作日`, `24小时`, `2h`, `3天` (days are read as working days). */
export function parseTimeLimit(text: string): TimeLimit | null {
  const m = /^(\d+(?:\.\d+)?)\s*(个)?\s*(工作日|天|日|小时|h|hours?|workdays?)$/i.exec(text.trim());
  if (!m) return null;
  const value = Number(m[1]);
  if (!(value > 0)) return null;
  const unit = m[3]?.toLowerCase() ?? '';
  return { value, unit: /小时|^h/.test(unit) ? 'hours' : 'workdays' };
}

const CATEGORY_BY_NAME = new Map(MATTER_CATEGORIES.map((c) => [c.name, c.code]));

/**
 * The catalog code of a 诉求类别 cell: a code (`0102`), a name (`垃圾积存清运`) or a path
 * (`市容环境-垃圾积存清运`, `市容环境/垃圾积存清运`, `市容环境>垃圾积存清运`): the most specific
 * part that names a catalog entry wins. Null when nothing matches.
 */
export function matchCategory(text: string): string | null {
  const parts = text
    .trim()
    .split(/\s*[-/>＞—|｜、]\s*/)
    .filter((p) => p !== '');
  for (const part of parts.reverse()) {
    if (matterCategory(part)) return part;
    const code = CATEGORY_BY_NAME.get(part);
    if (code) return code;
  }
  return null;
}

const LIMITS = {
  workOrderNo: 40,
  reporterName: 40,
  address: 200,
  description: 4000,
} as const;

/** Validates one row; `seen` maps numbers already taken in the file to their row. */
function validateRow(
  row: SheetRow,
  mapping: WorkOrderMapping,
  context: WorkOrderContext,
  seen: Map<string, number>,
): WorkOrderRow {
  const cell = (field: WorkOrderField): string => {
    const index = mapping[field];
    return index === null ? '' : (row.cells[index] ?? '').trim();
  };
  const issues: WorkOrderIssue[] = [];
  const required = (field: WorkOrderField): string => {
    const v = cell(field);
    if (v === '') issues.push({ code: 'required', field });
    return v;
  };
  const bounded = (field: keyof typeof LIMITS, v: string): string => {
    if (v.length > LIMITS[field]) issues.push({ code: 'too-long', field, value: v.slice(0, 20) });
    return v;
  };

  const workOrderNo = bounded('workOrderNo', required('workOrderNo'));
  if (workOrderNo !== '') {
    if (!/^[A-Za-z0-9-]+$/.test(workOrderNo))
      issues.push({ code: 'work-order-no', field: 'workOrderNo', value: workOrderNo });
    const earlier = seen.get(workOrderNo);
    if (earlier !== undefined)
      issues.push({ code: 'dup-in-file', field: 'workOrderNo', value: workOrderNo, row: earlier });
    else seen.set(workOrderNo, row.rowNumber);
    if (context.existingWorkOrderNos.has(workOrderNo))
      issues.push({ code: 'dup-existing', field: 'workOrderNo', value: workOrderNo });
  }

  const receivedText = required('receivedAt');
  const received = receivedText === '' ? null : parseBeijingTime(receivedText);
  if (receivedText !== '' && !received)
    issues.push({ code: 'received-at', field: 'receivedAt', value: receivedText });
  // A minute of grace for clocks that differ between the hotline platform and this device.
  if (received && received.getTime() > context.now.getTime() + 60_000)
    issues.push({ code: 'received-future', field: 'receivedAt', value: receivedText });

  const reporterName = bounded('reporterName', cell('reporterName'));
  const phoneText = cell('reporterPhone');
  const phone = phoneText === '' ? null : parsePhone(phoneText);
  if (phone && !phone.ok) issues.push({ code: 'phone', field: 'reporterPhone', value: phoneText });
  const address = bounded('address', cell('address'));
  const description = bounded('description', required('description'));

  const categoryText = required('category');
  const category = categoryText === '' ? null : matchCategory(categoryText);
  if (categoryText !== '' && !category)
    issues.push({ code: 'unknown-category', field: 'category', value: categoryText });

  // 承办时限: a date-time as exported, or a limit (2个工作日); empty = the category's limit.
  const deadlineText = cell('deadline');
  let handleDeadline: string | null = null;
  let beyondCalendar = false;
  const matter = category ? matterCategory(category) : undefined;
  if (received && matter) {
    const limit = deadlineText === '' ? matter.handleLimit : parseTimeLimit(deadlineText);
    const at = limit ? null : parseBeijingTime(deadlineText);
    if (limit) {
      const d = deadlineAfter(received, limit);
      handleDeadline = d.at;
      beyondCalendar ||= d.beyondCalendar;
    } else if (at && at.getTime() > received.getTime()) {
      handleDeadline = at.toISOString();
    } else if (at) {
      issues.push({ code: 'deadline-before', field: 'deadline', value: deadlineText });
    } else {
      issues.push({ code: 'deadline', field: 'deadline', value: deadlineText });
    }
  }

  if (issues.length > 0 || !received || !matter || handleDeadline === null)
    return { rowNumber: row.rowNumber, ok: false, issues, workOrderNo };
  const response = deadlineAfter(received, matter.responseLimit);
  return {
    rowNumber: row.rowNumber,
    ok: true,
    data: {
      workOrderNo,
      receivedAt: received.toISOString(),
      reporterName: reporterName === '' ? null : reporterName,
      reporterPhone: phone?.ok ? phone.normalized : null,
      address,
      description,
      category: matter.code,
      responseDeadline: response.at,
      handleDeadline,
      beyondCalendar: beyondCalendar || response.beyondCalendar,
    },
  };
}

/** Validates every row of a mapped table. */
export function validateWorkOrders(
  table: Pick<SheetTable, 'rows'>,
  mapping: WorkOrderMapping,
  context: WorkOrderContext,
): WorkOrderReport {
  const seen = new Map<string, number>();
  const rows = table.rows.map((row) => validateRow(row, mapping, context, seen));
  const valid = rows.filter((r) => r.ok).length;
  return { rows, valid, invalid: rows.length - valid };
}
