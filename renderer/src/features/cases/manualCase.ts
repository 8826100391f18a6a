import { v7 as uuidv7 } from 'uuid';
import { matterCategory } from '@shared/catalogs/matterCategories';
import { deadlineAfter } from '@shared/calendar/workdays';
import { type Case, CaseSchema } from '@shared/domain/case';
import { communityCodeOf, streetCodeOf } from '@shared/validation/codes';
import type { GridworkDb } from '../../db/db';
import { type Actor, commitChanges } from '../../db/write';

/** A request taken at the desk (来访) or online (网上诉求), as the 新建 form collects it. */
export interface ManualCase {
  source: 'walk-in' | 'online';
  gridCode: string;
  category: string;
  description: string;
  address: string;
  location: [number, number] | null;
  householdId: string | null;
  reporterName: string;
  reporterPhone: string;
}

/** `SL20261129-4F3A2B`: 受理 at the desk; the suffix comes from the record id. */
export function manualCaseNo(at: Date, id: string): string {
  const day = at.toISOString().slice(0, 10).replace(/-/g, '');
  return `SL${day}-${id.replace(/-/g, '').slice(-6).toUpperCase()}`;
}

/**
 * Creates the case (status 受理, deadlines from the category's limits on the working-day
 * calendar) and its first timeline event in one batch through the single write path.
 */
export async function createManualCase(
  db: GridworkDb,
  actor: Actor & { name: string },
  m: ManualCase,
  now: Date = new Date(),
): Promise<Case> {
  const category = matterCategory(m.category);
  if (!category || category.parent === null)
    throw new Error(`choose a sub-category, not ${m.category}`);
  const streetCode = streetCodeOf(m.gridCode);
  if (!streetCode) throw new Error(`not a grid code: ${m.gridCode}`);
  const id = uuidv7();
  const [created] = await commitChanges(
    db,
    [
      {
        op: 'create',
        table: 'cases',
        scope: m.gridCode,
        id,
        data: {
          caseNo: manualCaseNo(now, id),
          source: m.source,
          workOrderNo: null,
          category: category.code,
          description: m.description.trim(),
          address: m.address.trim(),
          location: m.location,
          reporterName: m.reporterName.trim() || null,
          reporterPhone: m.reporterPhone.trim() || null,
          gridCode: m.gridCode,
          communityCode: communityCodeOf(m.gridCode),
          streetCode,
          householdId: m.householdId,
          status: 'received',
          receivedAt: now.toISOString(),
          responseDeadline: deadlineAfter(now, category.responseLimit).at,
          handleDeadline: deadlineAfter(now, category.handleLimit).at,
        },
      },
      {
        op: 'create',
        table: 'caseEvents',
        scope: m.gridCode,
        data: {
          caseId: id,
          type: 'received',
          at: now.toISOString(),
          actorId: actor.id,
          actorName: actor.name,
          departmentId: null,
          reason: '',
          data: { source: m.source },
        },
      },
    ],
    actor,
  );
  return CaseSchema.parse(created);
}
