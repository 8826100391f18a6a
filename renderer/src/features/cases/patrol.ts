import { v7 as uuidv7 } from 'uuid';
import { matterCategory } from '@shared/catalogs/matterCategories';
import { deadlineAfter } from '@shared/calendar/workdays';
import type { Case } from '@shared/domain/case';
import { communityCodeOf, streetCodeOf } from '@shared/validation/codes';
import type { GridworkDb } from '../../db/db';
import { type Actor, commitChange } from '../../db/write';
import { storeBlob } from '../../sync/attachments';
import { inlinePhotoPreparer, type PhotoPreparer } from '../visits/photoPreparer';
import { preparedName } from '../visits/photos';

export interface PatrolReport {
  gridCode: string;
  category: string;
  description: string;
  address: string;
  location: [number, number] | null;
  householdId: string | null;
  actorName: string;
  photos: { name: string; mime: string; bytes: Uint8Array<ArrayBuffer> }[];
}

/** `XC20261129-4F3A`: 巡查 cases get their own prefix; the suffix comes from the record id. */
export function patrolCaseNo(at: Date, id: string): string {
  const day = at.toISOString().slice(0, 10).replace(/-/g, '');
  return `XC${day}-${id.replace(/-/g, '').slice(-6).toUpperCase()}`;
}

/**
 * Turns an event found on patrol (巡查上报) into a case with source `patrol`, its first timeline
 * event and its photos — each through the single write path, so all of it syncs.
 */
export async function reportPatrolEvent(
  db: GridworkDb,
  actor: Actor,
  report: PatrolReport,
  now: Date = new Date(),
  prepare: PhotoPreparer = inlinePhotoPreparer(),
): Promise<Case> {
  const category = matterCategory(report.category);
  if (!category || category.parent === null)
    throw new Error(`choose a sub-category, not ${report.category}`);
  const streetCode = streetCodeOf(report.gridCode);
  if (!streetCode) throw new Error(`not a grid code: ${report.gridCode}`);
  // Photos are shrunk and stripped of EXIF (GPS!) before anything is written, as for visits:
  // a photo that cannot be read refuses the report instead of leaving half of it.
  const photos = await Promise.all(
    report.photos.map(async (photo) => ({
      name: preparedName(photo.name),
      prepared: await prepare(photo.bytes, photo.mime),
    })),
  );
  const id = uuidv7();
  const created = await commitChange(
    db,
    {
      op: 'create',
      table: 'cases',
      scope: report.gridCode,
      id,
      data: {
        caseNo: patrolCaseNo(now, id),
        source: 'patrol',
        workOrderNo: null,
        category: category.code,
        description: report.description.trim(),
        address: report.address,
        location: report.location,
        reporterName: null,
        reporterPhone: null,
        gridCode: report.gridCode,
        communityCode: communityCodeOf(report.gridCode),
        streetCode,
        householdId: report.householdId,
        status: 'received',
        receivedAt: now.toISOString(),
        responseDeadline: deadlineAfter(now, category.responseLimit).at,
        handleDeadline: deadlineAfter(now, category.handleLimit).at,
        leadDepartmentId: null,
        coDepartmentIds: [],
        respondedAt: null,
        resolvedAt: null,
        closedAt: null,
        followUp: null,
        supervised: false,
        reopenCount: 0,
      },
    },
    actor,
  );
  await commitChange(
    db,
    {
      op: 'create',
      table: 'caseEvents',
      scope: report.gridCode,
      data: {
        caseId: created.id,
        type: 'received',
        at: now.toISOString(),
        actorId: actor.id,
        actorName: report.actorName,
        departmentId: null,
        reason: '巡查上报',
        data: {},
      },
    },
    actor,
  );
  for (const { name, prepared } of photos) {
    const sha256 = await storeBlob(db, prepared.bytes, prepared.mime);
    await commitChange(
      db,
      {
        op: 'create',
        table: 'attachments',
        scope: report.gridCode,
        data: {
          ownerTable: 'cases',
          ownerId: created.id,
          sha256,
          mime: prepared.mime,
          size: prepared.bytes.byteLength,
          name,
        },
      },
      actor,
    );
  }
  return created;
}
