import { liveQuery } from 'dexie';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { useDb } from '../db/db';
import { countUnsentChanges } from '../db/write';
import { useSessionStore } from '../features/session/useSessionStore';
import { countOpenConflicts } from '../features/sync/conflictInbox';
import { describeSyncError, type SyncErrorInfo } from '../features/sync/syncErrors';
import { type SyncReport, syncOnce } from './engine';
import { SyncScheduler } from './scheduler';

const LAST_SYNC_KEY = 'lastSync';

/** What `db.meta['lastSync']` holds, so "last sync" survives a restart. */
interface LastSync {
  at: string;
  report: SyncReport;
}

function isLastSync(value: unknown): value is LastSync {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<LastSync>).at === 'string' &&
    typeof (value as Partial<LastSync>).report === 'object'
  );
}

/**
 * Sync status for the whole app: runs `syncOnce` under a `SyncScheduler` while someone is signed
 * in (stopped on sign-out), and keeps live counts of unsent changes and open conflicts for the
 * nav badge and the sync screen. Errors are kept as i18n keys (`SyncErrorInfo`), not text.
 */
export const useSyncStore = defineStore('sync', () => {
  const db = useDb();
  const session = useSessionStore();

  const running = ref(false);
  /** Consecutive failed rounds; 0 after a success. */
  const failures = ref(0);
  /** When the scheduler will try again by itself (epoch ms), or null. */
  const nextAttemptAt = ref<number | null>(null);
  const lastSyncAt = ref<string | null>(null);
  const lastReport = shallowRef<SyncReport | null>(null);
  const lastError = shallowRef<SyncErrorInfo | null>(null);
  const unsentCount = ref(0);
  /** Unresolved same-field conflicts plus undismissed rejections. */
  const openConflicts = ref(0);
  const online = ref(globalThis.navigator?.onLine ?? true);

  const canSync = computed(() => session.signedIn && online.value && !running.value);

  async function round(): Promise<void> {
    const api = session.api;
    if (!api || !session.signedIn) return;
    try {
      const report = await syncOnce(db, api);
      const at = new Date().toISOString();
      lastReport.value = report;
      lastSyncAt.value = at;
      lastError.value = null;
      await db.meta.put({ key: LAST_SYNC_KEY, value: { at, report } satisfies LastSync });
    } catch (error) {
      lastError.value = describeSyncError(error);
      throw error; // the scheduler decides: back off and retry, or stop on a fatal error
    }
  }

  const scheduler = new SyncScheduler({
    run: round,
    onState: (state) => {
      running.value = state.running;
      failures.value = state.failures;
      nextAttemptAt.value = state.nextAttemptAt;
    },
  });

  /** Runs a round now (after the current one if one is running). No-op when signed out. */
  async function syncNow(): Promise<void> {
    if (!session.signedIn) return;
    await scheduler.syncNow();
  }

  // Keyed on the token's expiry as well as the user, so signing in again as the same person
  // (after "token expired" stopped the scheduler) restarts it, while a refreshed profile does not.
  watch(
    () => (session.user ? `${session.user.id}@${session.expiresAt ?? ''}` : null),
    (key) => {
      scheduler.stop();
      if (key) scheduler.start();
      else lastError.value = null;
    },
    { immediate: true },
  );

  // The store lives as long as the app, so these listeners and subscriptions are never removed.
  globalThis.addEventListener?.('online', () => (online.value = true));
  globalThis.addEventListener?.('offline', () => (online.value = false));
  liveQuery(() => countUnsentChanges(db)).subscribe({
    next: (n) => (unsentCount.value = n),
    error: (error: unknown) => console.error('outbox count failed', error),
  });
  liveQuery(() => countOpenConflicts(db)).subscribe({
    next: (n) => (openConflicts.value = n),
    error: (error: unknown) => console.error('conflict count failed', error),
  });
  void db.meta.get(LAST_SYNC_KEY).then((entry) => {
    const saved = entry?.value;
    // A round may have finished first; its result is newer than the saved one.
    if (lastSyncAt.value === null && isLastSync(saved)) {
      lastSyncAt.value = saved.at;
      lastReport.value = saved.report;
    }
  });

  return {
    running,
    failures,
    nextAttemptAt,
    lastSyncAt,
    lastReport,
    lastError,
    unsentCount,
    openConflicts,
    online,
    canSync,
    syncNow,
  };
});
