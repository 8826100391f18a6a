import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { z } from 'zod';
import { InstantSchema } from '@shared/domain/common';
import { type SessionUser, SessionUserSchema } from '@shared/sync/protocol';
import { useDb } from '../../db/db';
import { loadDevice } from '../../db/device';
import type { Actor } from '../../db/write';
import { usePlatform } from '../../platform';
import { SyncApi } from '../../sync/api';
import { initialServerUrl, saveServerUrl } from './serverUrl';
import { TokenStorageError } from './tokenStorageError';
import { forgetUnlockVerifier, saveUnlockVerifier } from './unlockVerifier';

/**
 * Who makes local changes while nobody is signed in (the nil UUID, which the schemas accept as an
 * id). Field work goes on offline before the first sign-in; those changes still need an actor to
 * enter the outbox, and the server judges them by the token that later pushes them.
 */
export const LOCAL_ACTOR_ID = '00000000-0000-0000-0000-000000000000';

const TOKEN_KEY = 'sync-token';
const SESSION_META_KEY = 'session';
/** Sign-out tells the server when it can, but must not hang on a black-holed network. */
const LOGOUT_TIMEOUT_MS = 3_000;

/** What `db.meta['session']` holds: the signed-in user, never the token. */
const CachedSessionSchema = z.object({
  user: SessionUserSchema,
  expiresAt: InstantSchema.nullable(),
});
type CachedSession = z.infer<typeof CachedSessionSchema>;

function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
}

/**
 * The signed-in user and how to reach the sync server. The token lives only in the platform's
 * secret store (the OS keychain in Electron, sessionStorage on the web) and in a closure here for
 * the API's token getter; the user is cached in `db.meta` so the app knows who works offline.
 */
export const useSessionStore = defineStore('session', () => {
  const db = useDb();
  const platform = usePlatform();

  const serverUrl = ref(initialServerUrl(platform.kind));
  /** Only the desktop app has a server setting; in web mode the page's own server is the one. */
  const canEditServerUrl = platform.kind === 'electron';
  const user = shallowRef<SessionUser | null>(null);
  const expiresAt = ref<string | null>(null);
  const deviceId = ref<string | null>(null);
  /** `restore()` has finished: until then "not signed in" may just mean "not read yet". */
  const restored = ref(false);
  // Deliberately not reactive state: a secret has no place in devtools or a serialised store.
  let token: string | null = null;

  const signedIn = computed(() => user.value !== null);
  /** The actor for `commitChange`: the signed-in user, else the fixed local actor. */
  const actor = computed<Actor>(() =>
    user.value ? { id: user.value.id, name: user.value.displayName } : { id: LOCAL_ACTOR_ID },
  );
  /** The sync client; null until the device id has been read (`restore()` or `login()`). */
  const api = computed(() =>
    deviceId.value === null ? null : new SyncApi(serverUrl.value, deviceId.value, () => token),
  );

  async function ensureDevice(): Promise<string> {
    const id = deviceId.value ?? (await loadDevice(db)).deviceId;
    deviceId.value = id;
    return id;
  }

  async function forget(): Promise<void> {
    token = null;
    user.value = null;
    expiresAt.value = null;
    try {
      await platform.secrets.delete(TOKEN_KEY);
    } finally {
      await db.meta.delete(SESSION_META_KEY);
      await forgetUnlockVerifier(db);
    }
  }

  /** Reads the session kept from the last run. Never needs the network. */
  async function restore(): Promise<void> {
    await ensureDevice();
    const [stored, cached] = await Promise.all([
      platform.secrets.get(TOKEN_KEY),
      db.meta.get(SESSION_META_KEY),
    ]);
    const session = CachedSessionSchema.safeParse(cached?.value);
    if (stored && session.success) {
      token = stored;
      user.value = session.data.user;
      expiresAt.value = session.data.expiresAt;
      void refreshUser();
    } else if (stored || cached) {
      // Half a session is none: e.g. on the web the token went with the closed tab. Clearing the
      // cached user keeps the app from naming someone who can no longer sync.
      await forget();
    }
    restored.value = true;
  }

  /** Updates the cached user (memberships change on the server). Failures are the sync store's to report. */
  async function refreshUser(): Promise<void> {
    const client = api.value;
    if (!client || !token) return;
    try {
      const fresh = await client.me();
      if (!token) return; // signed out meanwhile
      user.value = fresh;
      await db.meta.put({
        key: SESSION_META_KEY,
        value: { user: fresh, expiresAt: expiresAt.value } satisfies CachedSession,
      });
    } catch {
      // Offline or expired: the cached user stands until the next sync says otherwise.
    }
  }

  /**
   * Signs in. Throws `SyncApiError` (invalid-credentials, account-locked, unavailable …) or
   * `TokenStorageError` when the keychain refuses the token; on failure nothing is stored.
   */
  async function login(username: string, password: string): Promise<SessionUser> {
    const id = await ensureDevice();
    // A token-less client: a stale token must not ride along on a sign-in request.
    const response = await new SyncApi(serverUrl.value, id, () => null).login(username, password);
    try {
      await platform.secrets.set(TOKEN_KEY, response.token);
    } catch (error) {
      throw new TokenStorageError(error instanceof Error ? error.message : String(error));
    }
    await db.meta.put({
      key: SESSION_META_KEY,
      value: { user: response.user, expiresAt: response.expiresAt } satisfies CachedSession,
    });
    token = response.token;
    expiresAt.value = response.expiresAt;
    user.value = response.user;
    await saveUnlockVerifier(db, response.user.id, password);
    return response.user;
  }

  /**
   * Signs out: asks the server to revoke the token if it answers within a few seconds, then
   * always forgets the token and the cached user. Local data is NOT touched: the outbox keeps
   * unsent changes for the next sign-in, and conflicts stay in the inbox.
   */
  async function logout(): Promise<void> {
    const client = api.value;
    if (client && token) await settleWithin(client.logout(), LOGOUT_TIMEOUT_MS);
    await forget();
  }

  /**
   * Desktop only: changes the sync server address (validated by the caller with `isServerUrl`).
   * Resolves true when the address is new to this page: main has allowed it in the security
   * policy, which applies from the next page load, so the caller must reload before using it.
   */
  async function setServerUrl(value: string): Promise<boolean> {
    if (!canEditServerUrl) return false;
    const next = saveServerUrl(value);
    const changed = next !== serverUrl.value;
    serverUrl.value = next;
    return (await platform.setSyncServer(next)) && changed;
  }

  return {
    serverUrl,
    canEditServerUrl,
    user,
    expiresAt,
    deviceId,
    restored,
    signedIn,
    actor,
    api,
    restore,
    refreshUser,
    login,
    logout,
    setServerUrl,
  };
});
