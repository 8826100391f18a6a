import { matterCategory } from '@shared/catalogs/matterCategories';
import { caseClock } from '@shared/cases/caseClock';
import type { Case, CaseSource, CaseStatus } from '@shared/domain/case';

/** What the case list is narrowed by; empty strings mean "any". */
export interface CaseFilter {
  status: CaseStatus | '';
  overdueOnly: boolean;
  source: CaseSource | '';
  /** A top-level (2-digit) or sub-category (4-digit) matter code. */
  category: string;
  /** Matches the case no., work-order no., address or description. */
  text: string;
  /** A 15-digit grid code: that grid's cases only (the map's 该网格的案件). */
  gridCode: string;
  /** A department id: the cases it leads, co-handles or was summoned to (本部门案件). */
  departmentId: string;
}

export const EMPTY_CASE_FILTER: CaseFilter = {
  status: '',
  overdueOnly: false,
  source: '',
  category: '',
  text: '',
  gridCode: '',
  departmentId: '',
};

type Listed = Pick<
  Case,
  | 'id'
  | 'deleted'
  | 'caseNo'
  | 'workOrderNo'
  | 'address'
  | 'description'
  | 'status'
  | 'source'
  | 'category'
  | 'receivedAt'
  | 'respondedAt'
  | 'responseDeadline'
  | 'handleDeadline'
  | 'gridCode'
  | 'leadDepartmentId'
  | 'coDepartmentIds'
  | 'summons'
>;

type Involving = Pick<Case, 'leadDepartmentId' | 'coDepartmentIds' | 'summons'>;

/**
 * Whether a department has a part in the case: it leads it (主办), co-handles it (协办) or was
 * summoned to it by a whistle (吹哨). These are the cases its liaison works; the server lets the
 * liaison read the whole street, so the narrowing is the screen's.
 */
export function involvesDepartment(c: Involving, departmentId: string): boolean {
  return (
    c.leadDepartmentId === departmentId ||
    c.coDepartmentIds.includes(departmentId) ||
    (c.summons ?? []).some((w) => w.departmentIds.includes(departmentId))
  );
}

/** Statuses that take a 报到 (the `report-in` step's rule in shared/cases). */
const REPORT_IN_OPEN: ReadonlySet<CaseStatus> = new Set(['dispatched', 'signed', 'handling']);

/**
 * The 报到 a department still owes on the case: the oldest whistle that summoned it and it has
 * not answered, with its report-by time and whether that has passed; null when it owes none or
 * the case no longer takes one (resolved and after). Read from the case's own `summons`, so the
 * list needs no timeline.
 */
export function owedReportIn(
  c: Pick<Case, 'status' | 'summons'>,
  departmentId: string,
  now: Date,
): { reportBy: string; late: boolean } | null {
  if (!REPORT_IN_OPEN.has(c.status)) return null;
  const owed = (c.summons ?? []).find(
    (w) =>
      w.departmentIds.includes(departmentId) &&
      !w.reported.some((r) => r.departmentId === departmentId),
  );
  return owed ? { reportBy: owed.reportBy, late: Date.parse(owed.reportBy) < now.getTime() } : null;
}

/** The cases that pass every set filter (deleted cases never do). */
export function filterCases<T extends Listed>(cases: readonly T[], f: CaseFilter, now: Date): T[] {
  const text = f.text.trim().toLowerCase();
  return cases.filter((c) => {
    if (c.deleted) return false;
    if (f.gridCode && c.gridCode !== f.gridCode) return false;
    if (f.departmentId && !involvesDepartment(c, f.departmentId)) return false;
    if (f.status && c.status !== f.status) return false;
    if (f.source && c.source !== f.source) return false;
    // Sub-category codes start with their parent's code, so a prefix covers both levels.
    if (f.category && !c.category.startsWith(f.category)) return false;
    if (f.overdueOnly && caseClock(c, now)?.state !== 'overdue') return false;
    if (text) {
      const hay = `${c.caseNo} ${c.workOrderNo ?? ''} ${c.address} ${c.description}`.toLowerCase();
      if (!hay.includes(text)) return false;
    }
    return true;
  });
}

/**
 * Cases by the deadline that is running now, soonest (most overdue) first; cases whose clock has
 * stopped or never started follow, newest received first. Ties keep case-number order so the
 * list does not shuffle between renders.
 */
export function sortByDeadline<T extends Listed>(cases: readonly T[], now: Date): T[] {
  const keyed = cases.map((c) => {
    const clock = caseClock(c, now);
    return { c, at: clock ? Date.parse(clock.deadline) : Number.POSITIVE_INFINITY };
  });
  keyed.sort(
    (a, b) =>
      a.at - b.at ||
      (a.at === Number.POSITIVE_INFINITY ? b.c.receivedAt.localeCompare(a.c.receivedAt) : 0) ||
      a.c.caseNo.localeCompare(b.c.caseNo),
  );
  return keyed.map((k) => k.c);
}

/** A remaining time as whole days, hours and minutes (absolute; the sign is the caller's). */
export function splitDuration(ms: number): { days: number; hours: number; minutes: number } {
  const total = Math.floor(Math.abs(ms) / 60_000);
  return {
    days: Math.floor(total / 1440),
    hours: Math.floor((total % 1440) / 60),
    minutes: total % 60,
  };
}

/** The category's display name: `parent / child` in the chosen language. */
export function categoryLabel(code: string, english: boolean): string {
  const cat = matterCategory(code);
  if (!cat) return code;
  const name = (c: { name: string; nameEn: string }) => (english ? c.nameEn : c.name);
  const parent = cat.parent ? matterCategory(cat.parent) : undefined;
  return parent ? `${name(parent)} / ${name(cat)}` : name(cat);
}
