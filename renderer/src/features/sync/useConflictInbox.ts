import { liveQuery } from 'dexie';
import { getCurrentScope, onScopeDispose, ref, shallowRef } from 'vue';
import type { Role } from '@shared/domain/account';
import type { Conflict } from '@shared/domain/conflict';
import { specialGroupRole } from '@shared/visits/privacy';
import { type GridworkDb, type RejectionEntry, useDb } from '../../db/db';
import type { Actor } from '../../db/write';
import { useSessionStore } from '../session/useSessionStore';
import {
  dismissRejection,
  keepCurrent,
  loadOpenConflicts,
  loadOpenRejections,
  replaceWithOverwritten,
  type WithTitle,
} from './conflictInbox';
import { referencedNames } from './conflictValues';

export interface ConflictInboxOptions {
  db?: GridworkDb;
  /** Who resolves; defaults to the session's actor (read at the moment of the action). */
  actor?: () => Actor;
  /** Whose special-group rule applies; defaults to the session user's (see specialGroupRole). */
  role?: () => Role | null;
}

/**
 * The conflict inbox for a component: live lists of open rejections and conflicts, and the three
 * actions. `busyId` names the item being resolved so its buttons can show progress; `error` holds
 * the last failure (the item stays open, nothing was written).
 */
export function useConflictInbox(options: ConflictInboxOptions = {}) {
  const db = options.db ?? useDb();
  const actor =
    options.actor ??
    (() => {
      const session = useSessionStore();
      return session.actor;
    });

  const role = options.role ?? (() => specialGroupRole(useSessionStore().user));

  const rejections = shallowRef<WithTitle<RejectionEntry>[]>([]);
  const conflicts = shallowRef<WithTitle<Conflict>[]>([]);
  /** Names of the records the listed values point at (see referencedNames). */
  const names = shallowRef<ReadonlyMap<string, string>>(new Map());
  const loaded = ref(false);
  const busyId = ref<string | null>(null);
  const error = ref<string | null>(null);

  const subscription = liveQuery(async () => {
    const rejected = await loadOpenRejections(db);
    const conflicting = await loadOpenConflicts(db);
    const values = [
      ...rejected.flatMap((r) => Object.values(r.fields)),
      ...conflicting.flatMap((c) => [c.winnerValue, c.loserValue]),
    ];
    return {
      rejections: rejected,
      conflicts: conflicting,
      names: await referencedNames(db, values),
    };
  }).subscribe({
    next: (value) => {
      rejections.value = value.rejections;
      conflicts.value = value.conflicts;
      names.value = value.names;
      loaded.value = true;
    },
    error: (cause: unknown) => (error.value = String(cause)),
  });
  if (getCurrentScope()) onScopeDispose(() => subscription.unsubscribe());

  async function run(id: string, action: () => Promise<void>): Promise<boolean> {
    busyId.value = id;
    error.value = null;
    try {
      await action();
      return true;
    } catch (cause) {
      error.value = cause instanceof Error ? cause.message : String(cause);
      return false;
    } finally {
      busyId.value = null;
    }
  }

  return {
    rejections,
    conflicts,
    names,
    loaded,
    busyId,
    error,
    /** Hides a rejection ("知道了"). */
    dismiss: (id: number) => run(`r${id}`, () => dismissRejection(db, id)),
    /** Keeps the current value ("保留当前值"). */
    keep: (conflictId: string) => run(conflictId, () => keepCurrent(db, conflictId, actor())),
    /** Puts the overwritten value back ("改用被覆盖的值"). */
    replace: (conflict: Conflict) =>
      run(conflict.id, () => replaceWithOverwritten(db, conflict, actor(), role())),
    /** Stops the live lists (automatic inside a component). */
    stop: () => subscription.unsubscribe(),
  };
}
