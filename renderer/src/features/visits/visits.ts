import type { Attachment, Visit } from '@shared/domain/visit';
import type { Household } from '@shared/domain/place';
import type { GridworkDb } from '../../db/db';
import { stripLocalKeys } from '../../db/derive';
import { type Actor, commitChange } from '../../db/write';
import { storeBlob } from '../../sync/attachments';

export interface NewVisit {
  household: Household;
  visitorName: string;
  method: Visit['method'];
  findings: string;
  photos: { name: string; mime: string; bytes: Uint8Array<ArrayBuffer> }[];
}

/**
 * Records a visit and its photos. Each record goes through `commitChange` (so each syncs); the
 * photo bytes are kept on the device under their hash and uploaded by the next sync round.
 */
export async function recordVisit(db: GridworkDb, actor: Actor, visit: NewVisit): Promise<Visit> {
  const scope = visit.household.scope;
  const created = await commitChange(
    db,
    {
      op: 'create',
      table: 'visits',
      scope,
      data: {
        householdId: visit.household.id,
        visitorId: actor.id,
        visitorName: visit.visitorName,
        visitedAt: new Date().toISOString(),
        method: visit.method,
        location: visit.household.location,
        findings: visit.findings,
      },
    },
    actor,
  );
  for (const photo of visit.photos) {
    const sha256 = await storeBlob(db, photo.bytes, photo.mime);
    await commitChange(
      db,
      {
        op: 'create',
        table: 'attachments',
        scope,
        data: {
          ownerTable: 'visits',
          ownerId: created.id,
          sha256,
          mime: photo.mime,
          size: photo.bytes.byteLength,
          name: photo.name,
        },
      },
      actor,
    );
  }
  return created;
}

export interface VisitWithPhotos {
  visit: Visit;
  photos: Attachment[];
}

/** A household's visits, newest first, each with its photo records. */
export async function visitsOfHousehold(
  db: GridworkDb,
  householdId: string,
): Promise<VisitWithPhotos[]> {
  const visits = (await db.visits.where('householdId').equals(householdId).toArray())
    .filter((v) => !v.deleted)
    .map((v) => stripLocalKeys<'visits'>(v));
  visits.sort((a, b) => b.visitedAt.localeCompare(a.visitedAt));
  return Promise.all(
    visits.map(async (visit) => ({
      visit,
      photos: (
        await db.attachments.where('[ownerTable+ownerId]').equals(['visits', visit.id]).toArray()
      )
        .filter((a) => !a.deleted)
        .map((a) => stripLocalKeys<'attachments'>(a)),
    })),
  );
}
