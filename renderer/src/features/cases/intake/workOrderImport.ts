import { v7 as uuidv7 } from 'uuid';
import { beijingDate } from '@shared/calendar/workdays';
import type { GridworkDb } from '../../../db/db';
import { type Actor, type AnyChange, commitChanges } from '../../../db/write';
import type { SheetTable } from '../../import/readTable';
import { type AddressMatch, addressLocator } from './locateAddress';
import { type WorkOrderData, type WorkOrderReport, validateWorkOrders } from './validateWorkOrders';
import type { WorkOrderMapping } from './workOrderColumns';

/**
 * The database side of a 12345 import: the numbers already imported, where each valid row's
 * address is, and the all-or-nothing write of the valid rows (cases + their 'received' events).
 */

/** 工单编号 of every live case on the device (a one-off scan: imports are rare). */
export async function existingWorkOrderNos(db: GridworkDb): Promise<Set<string>> {
  const numbers = new Set<string>();
  await db.cases.each((c) => {
    if (c.workOrderNo && !c.deleted) numbers.add(c.workOrderNo);
  });
  return numbers;
}

export interface WorkOrderPlan {
  report: WorkOrderReport;
  /** Valid rows' locations by spreadsheet row number (null: the address matched nothing). */
  located: ReadonlyMap<number, AddressMatch | null>;
  /** The user's street: the scope of cases whose grid is unknown. */
  streetCode: string;
}

/** Validates the mapped table against the device's cases and locates the valid rows. */
export async function planWorkOrderImport(
  db: GridworkDb,
  table: Pick<SheetTable, 'rows'>,
  mapping: WorkOrderMapping,
  streetCode: string,
  now: Date = new Date(),
): Promise<WorkOrderPlan> {
  const report = validateWorkOrders(table, mapping, {
    existingWorkOrderNos: await existingWorkOrderNos(db),
    now,
  });
  const locate = await addressLocator(db);
  const located = new Map<number, AddressMatch | null>();
  for (const row of report.rows)
    if (row.ok) located.set(row.rowNumber, await locate(row.data.address));
  return { report, located, streetCode };
}

/** `RX20261129-4F3A2B`: hotline (热线) cases by Beijing day of receipt and record id. */
export function hotlineCaseNo(receivedAt: string, id: string): string {
  const day = beijingDate(new Date(receivedAt)).replace(/-/g, '');
  return `RX${day}-${id.replace(/-/g, '').slice(-6).toUpperCase()}`;
}

function caseChanges(
  data: WorkOrderData,
  where: AddressMatch | null,
  streetCode: string,
  actor: Actor,
): AnyChange[] {
  const id = uuidv7();
  // A case whose grid is unknown belongs to the street until dispatch places it.
  const scope = where?.gridCode ?? streetCode;
  return [
    {
      op: 'create',
      table: 'cases',
      scope,
      id,
      data: {
        caseNo: hotlineCaseNo(data.receivedAt, id),
        source: 'hotline',
        workOrderNo: data.workOrderNo,
        category: data.category,
        description: data.description,
        address: data.address,
        location: where?.location ?? null,
        reporterName: data.reporterName,
        reporterPhone: data.reporterPhone,
        gridCode: where?.gridCode ?? null,
        communityCode: where?.communityCode ?? null,
        streetCode,
        householdId: where?.householdId ?? null,
        status: 'received',
        receivedAt: data.receivedAt,
        responseDeadline: data.responseDeadline,
        handleDeadline: data.handleDeadline,
      },
    },
    {
      op: 'create',
      table: 'caseEvents',
      scope,
      data: {
        caseId: id,
        type: 'received',
        at: data.receivedAt,
        actorId: actor.id,
        actorName: actor.name ?? '',
        reason: '12345工单导入',
        data: { workOrderNo: data.workOrderNo },
      },
    },
  ];
}

/** The import would duplicate cases that arrived (by sync) after the preview was made. */
export class WorkOrderImportStale extends Error {
  constructor(readonly workOrderNos: string[]) {
    super(`already on the device: ${workOrderNos.join(', ')}`);
    this.name = 'WorkOrderImportStale';
  }
}

/**
 * Imports the plan's valid rows: every case with its 'received' event and outbox entries in ONE
 * transaction (`commitChanges`), so a failure anywhere imports nothing. Numbers that reached
 * the device since the preview refuse the whole import, to be previewed again.
 */
export async function importWorkOrders(
  db: GridworkDb,
  plan: WorkOrderPlan,
  actor: Actor,
  onProgress?: (done: number, total: number) => void,
): Promise<{ cases: number }> {
  const valid = plan.report.rows.flatMap((r) => (r.ok ? [r] : []));
  if (valid.length === 0) return { cases: 0 };
  const existing = await existingWorkOrderNos(db);
  const stale = valid.filter((r) => existing.has(r.data.workOrderNo));
  if (stale.length > 0) throw new WorkOrderImportStale(stale.map((r) => r.data.workOrderNo));
  const changes = valid.flatMap((r) =>
    caseChanges(r.data, plan.located.get(r.rowNumber) ?? null, plan.streetCode, actor),
  );
  await commitChanges(db, changes, actor, { onProgress });
  return { cases: valid.length };
}
