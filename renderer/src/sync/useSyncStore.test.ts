import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setDb, useDb } from '../db/db';
import { freshDb, GRID, householdData } from '../db/testing';
import { commitChange } from '../db/write';
import type { Platform } from '../platform';
import { useSessionStore } from '../features/session/useSessionStore';
import { useSyncStore } from './useSyncStore';

const secrets = new Map<string, string>();
const fakePlatform: Platform = {
  kind: 'web',
  appInfo: async () => ({ version: 'test', platform: 'test', runtime: 'test' }),
  openExternal: async () => false,
  saveFile: async () => false,
  setSyncServer: async () => false,
  setBasemapOrigin: async () => false,
  secrets: {
    get: async (key) => secrets.get(key) ?? null,
    set: async (key, value) => void secrets.set(key, value),
    delete: async (key) => void secrets.delete(key),
  },
};
vi.mock('../platform', () => ({ usePlatform: () => fakePlatform }));

const USER = {
  id: '01900000-0000-7000-8000-0000000000b1',
  username: 'wangfang',
  displayName: '王芳',
  memberships: [{ scope: GRID, role: 'grid-worker' }],
};

/** Signs in from a "previous run": a cached user and a token, as restore() finds them. */
async function signedInFromLastRun() {
  secrets.set('sync-token', 't'.repeat(43));
  await useDb().meta.put({
    key: 'session',
    value: { user: USER, expiresAt: '2030-01-01T00:00:00.000Z' },
  });
  await useSessionStore().restore();
}

beforeEach(() => {
  secrets.clear();
  vi.stubGlobal('location', { origin: 'http://sync.test' });
  setDb(freshDb());
  setActivePinia(createPinia());
});
afterEach(async () => {
  await useSessionStore().logout();
  vi.unstubAllGlobals();
  setDb(null);
});

describe('useSyncStore', () => {
  it('maps an expired token to a fatal "sign in again" error and stops retrying', async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response(JSON.stringify({ error: { code: 'token-expired', message: 'expired' } }), {
          status: 401,
        }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const sync = useSyncStore();
    await signedInFromLastRun();
    await vi.waitFor(() => expect(sync.lastError?.code).toBe('token-expired'));

    expect(sync.lastError).toMatchObject({ messageKey: 'sync.errors.token-expired', fatal: true });
    expect(sync.running).toBe(false);
    expect(sync.nextAttemptAt).toBeNull(); // fatal: no automatic retry
  });

  it('maps a network failure to "unavailable" and keeps the changes counted as unsent', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('fetch failed');
      }),
    );
    const sync = useSyncStore();
    await commitChange(
      useDb(),
      { op: 'create', table: 'households', scope: GRID, data: householdData() },
      { id: USER.id },
    );
    await signedInFromLastRun();
    await vi.waitFor(() => expect(sync.lastError?.code).toBe('unavailable'));

    expect(sync.lastError?.fatal).toBe(false);
    expect(sync.nextAttemptAt).not.toBeNull(); // retried later with backoff
    await vi.waitFor(() => expect(sync.unsentCount).toBe(1));
  });

  it('counts open conflicts live and forgets the error on sign-out', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('offline'))),
    );
    const sync = useSyncStore();
    await signedInFromLastRun();
    await useDb().rejections.add({
      seq: 1,
      table: 'households',
      recordId: '01900000-0000-7000-8000-0000000000e1',
      op: 'update',
      code: 'out-of-scope',
      reason: 'not yours',
      fields: {},
      at: '2026-05-01T09:00:00.000Z',
      dismissed: false,
    });
    await vi.waitFor(() => expect(sync.openConflicts).toBe(1));
    await vi.waitFor(() => expect(sync.lastError).not.toBeNull());

    await useSessionStore().logout();
    await vi.waitFor(() => expect(sync.lastError).toBeNull());
    expect(sync.openConflicts).toBe(1);
  });
});
