import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoginResponse } from '@shared/sync/protocol';
import { setDb, useDb } from '../../db/db';
import { freshDb, householdData } from '../../db/testing';
import { commitChange } from '../../db/write';
import type { Platform } from '../../platform';
import { SyncApiError } from '../../sync/api';
import { LOCAL_ACTOR_ID, useSessionStore } from './useSessionStore';

/** The platform's secret store, faked: what the session keeps in the keychain is visible here. */
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
vi.mock('../../platform', () => ({ usePlatform: () => fakePlatform }));

const USER_ID = '01900000-0000-7000-8000-0000000000b1';
const loginResponse: LoginResponse = {
  token: 't'.repeat(43),
  expiresAt: '2030-01-01T00:00:00.000Z',
  user: {
    id: USER_ID,
    username: 'wangfang',
    displayName: '王芳',
    memberships: [{ scope: '110101010027001', role: 'grid-worker' }],
    departmentId: null,
  },
};

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** A sync server answering by route; records every request. */
function fakeServer(routes: Record<string, () => Response>) {
  const calls: { path: string; authorization: string | null }[] = [];
  const fetchMock = vi.fn(async (input: URL | RequestInfo, init?: RequestInit) => {
    const path = new URL(String(input)).pathname;
    const headers = new Headers(init?.headers);
    calls.push({ path, authorization: headers.get('authorization') });
    const route = routes[path];
    if (!route) throw new TypeError('fetch failed');
    return route();
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

beforeEach(() => {
  secrets.clear();
  vi.stubGlobal('location', { origin: 'http://sync.test' });
  setDb(freshDb());
  setActivePinia(createPinia());
});
afterEach(() => {
  vi.unstubAllGlobals();
  setDb(null);
});

describe('useSessionStore', () => {
  it('signs in: the token goes to the secret store only, the user to db.meta', async () => {
    const calls = fakeServer({ '/api/auth/login': () => json(200, loginResponse) });
    const session = useSessionStore();
    expect(session.serverUrl).toBe('http://sync.test');
    expect(session.actor.id).toBe(LOCAL_ACTOR_ID);

    await session.login('wangfang', 'secret');

    expect(secrets.get('sync-token')).toBe(loginResponse.token);
    expect(session.signedIn).toBe(true);
    expect(session.actor.id).toBe(USER_ID);
    expect(calls[0]?.authorization).toBeNull();
    const cached = await useDb().meta.get('session');
    expect(cached?.value).toEqual({ user: loginResponse.user, expiresAt: loginResponse.expiresAt });
    expect(JSON.stringify(cached)).not.toContain(loginResponse.token);
    // The API built by the store sends the token.
    const later = fakeServer({ '/api/auth/me': () => json(200, loginResponse.user) });
    await session.api?.me();
    expect(later[0]?.authorization).toBe(`Bearer ${loginResponse.token}`);
  });

  it('keeps nothing when the server refuses the password', async () => {
    fakeServer({
      '/api/auth/login': () =>
        json(401, { error: { code: 'invalid-credentials', message: 'wrong' } }),
    });
    const session = useSessionStore();
    await expect(session.login('wangfang', 'nope')).rejects.toBeInstanceOf(SyncApiError);
    expect(secrets.size).toBe(0);
    expect(session.signedIn).toBe(false);
  });

  it('signs out offline: clears token and session, keeps the outbox', async () => {
    fakeServer({ '/api/auth/login': () => json(200, loginResponse) });
    const session = useSessionStore();
    await session.login('wangfang', 'secret');
    const db = useDb();
    await commitChange(
      db,
      { op: 'create', table: 'households', scope: '110101010027001', data: householdData() },
      session.actor,
    );
    const calls = fakeServer({}); // the server is unreachable now

    await session.logout();

    expect(calls.map((c) => c.path)).toEqual(['/api/auth/logout']);
    expect(secrets.has('sync-token')).toBe(false);
    expect(await db.meta.get('session')).toBeUndefined();
    expect(session.signedIn).toBe(false);
    expect(session.actor.id).toBe(LOCAL_ACTOR_ID);
    expect(await db.outbox.count()).toBe(1); // the household, its change history riding on it
    expect(await db.households.count()).toBe(1);
  });

  it('restores the cached user with its token, and drops half a session', async () => {
    fakeServer({
      '/api/auth/login': () => json(200, loginResponse),
      '/api/auth/me': () => json(200, { ...loginResponse.user, displayName: '王芳（新）' }),
    });
    await useSessionStore().login('wangfang', 'secret');

    setActivePinia(createPinia()); // a restart: same db and keychain, fresh stores
    const restarted = useSessionStore();
    await restarted.restore();
    expect(restarted.user?.id).toBe(USER_ID);
    await vi.waitFor(() => expect(restarted.user?.displayName).toBe('王芳（新）'));

    secrets.clear(); // web mode: the tab was closed, the token went with it
    setActivePinia(createPinia());
    const again = useSessionStore();
    await again.restore();
    expect(again.signedIn).toBe(false);
    expect(await useDb().meta.get('session')).toBeUndefined();
  });

  it("keeps a liaison's department, and reads a session cached before it existed", async () => {
    const department = '01900000-0000-7000-8000-00000000d001';
    const liaison = { ...loginResponse.user, departmentId: department };
    fakeServer({
      '/api/auth/login': () => json(200, { ...loginResponse, user: liaison }),
      '/api/auth/me': () => json(503, {}),
    });
    const session = useSessionStore();
    await session.login('wangfang', 'secret');
    expect(session.user?.departmentId).toBe(department);

    // A cache written by an older app has no departmentId: it restores as "no department".
    const { departmentId: _dropped, ...older } = loginResponse.user;
    await useDb().meta.put({
      key: 'session',
      value: { user: older, expiresAt: loginResponse.expiresAt },
    });
    setActivePinia(createPinia());
    const restarted = useSessionStore();
    await restarted.restore();
    expect(restarted.user).toMatchObject({ id: USER_ID, departmentId: null });
  });
});
